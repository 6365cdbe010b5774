import { NO_RESOURCES, plus, PodPlacement, PodResources, WorkloadPods } from '../core/workload-pods';

/**
 * Whether pods fit a cluster's node pools, and still fit with one node drained: a placement found
 * first-fit decreasing (largest pods first, each on the first node with room), respecting what the
 * scheduler enforces — requests within a node's allocatable, the nodeSelector and required node
 * affinity, taints a pod must tolerate, one pod per node under a required anti-affinity, and hard
 * topology spread over nodes. A found placement proves the pods fit; FFD is a heuristic, so a
 * failure reads "no placement found", not "impossible".
 */

export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface NodePoolCapacity {
  readonly name: string;
  readonly size: string;
  readonly count: number;
  /** Every label of its nodes, the node-pool label included. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodeTaint[];
  /** What one node offers pods (allocatable less the DaemonSets' requests); ephemeral storage undefined: not checked. */
  readonly perNode: { readonly cpuMillis: number; readonly memoryMiB: number; readonly ephemeralStorageMiB?: number };
}

export interface NodeUse {
  /** `<pool>-<n>`, n from 1. */
  readonly node: string;
  readonly pool: string;
  /** The pods placed on it, as `<workload>#<n>`. */
  readonly pods: readonly string[];
  readonly requested: PodResources;
}

export interface Unplaced {
  readonly pod: string;
  readonly reason: string;
}

export interface Placement {
  readonly nodes: readonly NodeUse[];
  readonly unplaced: readonly Unplaced[];
}

export interface DrainCase {
  readonly pool: string;
  /** The node drained: the pool's fullest. */
  readonly node: string;
  /** Where its pods went, or why one could not. */
  readonly placement: Placement;
}

export interface NodeFit {
  readonly placement: Placement;
  /** One case per pool: nodes of a pool are alike, so draining its fullest node is its worst case. */
  readonly drained: readonly DrainCase[];
}

interface Pod {
  readonly id: string;
  readonly workload: string;
  readonly requests: PodResources;
  readonly placement: PodPlacement;
}

interface Node {
  readonly name: string;
  readonly pool: NodePoolCapacity;
  pods: Pod[];
  used: PodResources;
}

/** Places `workloads` (every pod of each, at `pods`) on `pools`, then drains one node of each pool. */
export function nodeFit(workloads: readonly WorkloadPods[], pools: readonly NodePoolCapacity[]): NodeFit {
  const pods = workloads.flatMap((w) => Array.from({ length: w.pods }, (_, i): Pod => ({
    id: `${w.name}#${i + 1}`, workload: `${w.kind}/${w.namespace}/${w.name}`, requests: w.perPod, placement: w.placement,
  })));
  const nodes = pools.flatMap((pool) => Array.from({ length: pool.count }, (_, i): Node => ({ name: `${pool.name}-${i + 1}`, pool, pods: [], used: NO_RESOURCES })));
  const unplaced = placeAll(sorted(pods, pools), nodes);
  const placement = snapshot(nodes, unplaced);
  const drained = unplaced.length > 0 ? [] : pools.map((pool): DrainCase => {
    const fullest = nodes.filter((n) => n.pool === pool).reduce((a, b) => (load(b) > load(a) ? b : a));
    const rest = nodes.filter((n) => n !== fullest).map((n) => ({ ...n, pods: [...n.pods] }));
    return { pool: pool.name, node: fullest.name, placement: snapshot(rest, placeAll(sorted(fullest.pods, pools), rest)) };
  });
  return { placement, drained };
}

/** Largest first by its dominant share of the biggest node, then by name: deterministic. */
function sorted(pods: readonly Pod[], pools: readonly NodePoolCapacity[]): Pod[] {
  const cpu = Math.max(1, ...pools.map((p) => p.perNode.cpuMillis));
  const mem = Math.max(1, ...pools.map((p) => p.perNode.memoryMiB));
  const share = (p: Pod) => Math.max(p.requests.cpuMillis / cpu, p.requests.memoryMiB / mem);
  return [...pods].sort((a, b) => share(b) - share(a) || a.id.localeCompare(b.id, 'en', { numeric: true }));
}

function placeAll(pods: readonly Pod[], nodes: Node[]): Unplaced[] {
  const unplaced: Unplaced[] = [];
  for (const pod of pods) {
    const node = nodes.find((n) => allowedOn(pod, n, nodes) === undefined);
    if (node) {
      node.pods.push(pod);
      node.used = plus(node.used, pod.requests);
    } else {
      unplaced.push({ pod: pod.id, reason: whyNot(pod, nodes) });
    }
  }
  return unplaced;
}

/** Why `pod` cannot go on `node`, or undefined when it can. */
function allowedOn(pod: Pod, node: Node, nodes: readonly Node[]): string | undefined {
  if (!eligible(pod.placement, node.pool)) return 'pool';
  const free = node.pool.perNode;
  const after = plus(node.used, pod.requests);
  if (after.cpuMillis > free.cpuMillis || after.memoryMiB > free.memoryMiB
    || (free.ephemeralStorageMiB !== undefined && after.ephemeralStorageMiB > free.ephemeralStorageMiB)) return 'room';
  const mine = (n: Node) => n.pods.filter((p) => p.workload === pod.workload).length;
  if (pod.placement.onePerNode && mine(node) > 0) return 'one per node';
  const skew = pod.placement.spreadMaxSkew;
  if (skew !== undefined) {
    // The scheduler's check: this node's count after placing, less the least of any node the pod may use.
    const least = Math.min(...nodes.filter((n) => eligible(pod.placement, n.pool)).map(mine));
    if (mine(node) + 1 - least > skew) return 'spread';
  }
  return undefined;
}

function whyNot(pod: Pod, nodes: readonly Node[]): string {
  const r = pod.requests;
  const size = `${r.cpuMillis}m CPU, ${Math.ceil(r.memoryMiB)}Mi memory${r.ephemeralStorageMiB > 0 ? `, ${Math.ceil(r.ephemeralStorageMiB)}Mi ephemeral storage` : ''}`;
  const candidates = nodes.filter((n) => eligible(pod.placement, n.pool));
  if (candidates.length === 0) return 'no node pool matches its nodeSelector, node affinity and tolerations';
  const reasons = new Set(candidates.map((n) => allowedOn(pod, n, nodes)));
  if (reasons.has('room')) return `no node of ${[...new Set(candidates.map((n) => n.pool.name))].join(', ')} has room for ${size}`;
  if (reasons.has('one per node')) return 'one pod per node (required anti-affinity) and every node it may use has one';
  return 'its hard topology spread allows no node';
}

/** Whether a pool's nodes admit the pod: labels for its nodeSelector and node affinity, tolerations for their taints. */
export function eligible(placement: PodPlacement, pool: NodePoolCapacity): boolean {
  const labels = pool.labels;
  if (!Object.entries(placement.nodeSelector).every(([k, v]) => labels[k] === v)) return false;
  const terms = placement.nodeSelectorTerms;
  if (terms.length > 0 && !terms.some((t) => t.matchExpressions.every((e) => matches(e, labels)))) return false;
  return pool.taints.filter((t) => t.effect !== 'PreferNoSchedule').every((t) => placement.tolerations.some((tol) => tolerates(tol, t)));
}

/** A node selector requirement (In, NotIn, Exists, DoesNotExist, Gt, Lt) against a node's labels. */
function matches(e: { key: string; operator: string; values?: readonly string[] }, labels: Readonly<Record<string, string>>): boolean {
  const v = labels[e.key];
  switch (e.operator) {
    case 'In': return v !== undefined && (e.values ?? []).includes(v);
    case 'NotIn': return v === undefined || !(e.values ?? []).includes(v);
    case 'Exists': return v !== undefined;
    case 'DoesNotExist': return v === undefined;
    case 'Gt': return v !== undefined && Number(v) > Number(e.values?.[0]);
    case 'Lt': return v !== undefined && Number(v) < Number(e.values?.[0]);
    default: return false;
  }
}

/**
 * A toleration tolerates a taint when the effects match (an empty effect matches all) and either
 * `Exists` with the same key (an empty key: every taint) or `Equal` (the default) with the same key and value.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
 */
export function tolerates(toleration: Readonly<Record<string, unknown>>, taint: NodeTaint): boolean {
  const effect = toleration.effect as string | undefined;
  if (effect && effect !== taint.effect) return false;
  const key = toleration.key as string | undefined;
  if ((toleration.operator ?? 'Equal') === 'Exists') return !key || key === taint.key;
  return key === taint.key && ((toleration.value as string | undefined) ?? '') === (taint.value ?? '');
}

function load(n: Node): number {
  return n.used.memoryMiB * 1e6 + n.used.cpuMillis;
}

function snapshot(nodes: readonly Node[], unplaced: readonly Unplaced[]): Placement {
  return { nodes: nodes.map((n) => ({ node: n.name, pool: n.pool.name, pods: n.pods.map((p) => p.id), requested: n.used })), unplaced };
}
