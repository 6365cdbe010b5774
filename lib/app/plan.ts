import { checkConnectionBudget } from '../checks/connection-budget';
import { ConfigProblem } from '../core/errors';
import { LoadedInstance } from '../config/types';
import { ConnectionUse } from '../sizing/connection-budget';
import { buildModel } from '../model/build';
import { InstancePlan, instancePlan, PlanTotal, PlanWorkload } from '../model/plan';
import { PodResources, workloadPods } from '../core/workload-pods';
import { instanceObjects } from './render';
import { nodePoolCapacities } from '../model/node-pools';
import { Placement } from '../sizing/node-fit';
import { cpu, memory } from '../core/quantity';

const NONE = '–';
const HEADER = ['workload', 'kind', 'pods', 'processes', 'threads', 'CPU request', 'memory request', 'memory limit', 'ephemeral storage'];

/** A pipe table with padded columns: readable in a terminal, rendered as a table in a PR. */
function table(header: readonly string[], leftColumns: readonly number[], rows: readonly (readonly (string | number)[])[]): string[] {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const left = (i: number) => leftColumns.includes(i);
  const line = (row: readonly string[]) => `| ${row.map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (left(i) ? `:${'-'.repeat(w - 1)}` : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)];
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

function uses(list: readonly ConnectionUse[]): string {
  return list.map((u) => `${u.name} ${u.connections} (${u.formula})`).join(', ');
}

const count = (n: number) => (n === 0 ? NONE : n);
const storage = (mib: number) => (mib === 0 ? NONE : memory(mib));
const resourceCells = (r: PodResources) => [cpu(r.cpuMillis), memory(r.memoryMiB), memory(r.memoryLimitMiB), storage(r.ephemeralStorageMiB)];

/** A workload's row (one pod's requests), then its containers' when it has more than one. */
function workloadRows(w: PlanWorkload, label: string): (string | number)[][] {
  const containers = w.containers.length > 1
    ? w.containers.map((c) => [`${w.name}: ${c.name}${c.role === 'container' ? '' : ` (${c.role})`}`, '', '', '', '', ...resourceCells(c.resources)])
    : [];
  return [[label, w.kind, w.pods, count(w.processes), count(w.threads), ...resourceCells(w.perPod)], ...containers];
}

function totalRow(label: string, t: PlanTotal): (string | number)[] {
  return [`**${label}**`, '', t.pods, count(t.processes), count(t.threads), ...resourceCells(t.resources)];
}

function summary(label: string, t: PlanTotal): string {
  const r = t.resources;
  return `${label}: ${t.pods} pods, ${cpu(r.cpuMillis)} CPU, ${memory(r.memoryMiB)} memory requested (${memory(r.memoryLimitMiB)} limits)${r.ephemeralStorageMiB > 0 ? `, ${memory(r.ephemeralStorageMiB)} ephemeral storage` : ''}`;
}

/** Node pools: what each holds of the pods that may run at once, and the verdict with one node drained. */
function nodesMarkdown(plan: InstancePlan): string[] {
  if (!plan.nodes) return [];
  const { pools, fit } = plan.nodes;
  const rows = pools.map((pool) => {
    const nodes = fit.placement.nodes.filter((n) => n.pool === pool.name);
    const used = nodes.reduce((a, n) => ({ cpu: a.cpu + n.requested.cpuMillis, memory: a.memory + n.requested.memoryMiB, pods: a.pods + n.pods.length }), { cpu: 0, memory: 0, pods: 0 });
    const share = (n: number, of: number) => `${Math.round((100 * n) / of)} %`;
    return [pool.name, `${pool.count} × ${pool.size}`, `${cpu(pool.perNode.cpuMillis)}, ${memory(pool.perNode.memoryMiB)}`, used.pods,
      `${cpu(used.cpu)} (${share(used.cpu, pool.count * pool.perNode.cpuMillis)})`, `${memory(used.memory)} (${share(used.memory, pool.count * pool.perNode.memoryMiB)})`];
  });
  const failed = (p: Placement) => p.unplaced.map((u) => `${u.pod}: ${u.reason}`).join('; ');
  const verdict = fit.placement.unplaced.length > 0
    ? `- ✗ No placement found for every pod that may run at once: ${failed(fit.placement)}. Add nodes or a larger size, or lower requests.`
    : `- ✓ The pods that may run at once (always running and every CronJob) fit: ${fit.placement.nodes.map((n) => `${n.node} ${n.pods.length}`).join(', ')} pods (plan --json lists them).`;
  const drains = fit.drained.map((d) => (d.placement.unplaced.length === 0
    ? `- ✓ ${d.node} drained (the fullest of ${d.pool}): its pods fit on the other nodes.`
    : `- ✗ ${d.node} drained (the fullest of ${d.pool}): no placement found for ${failed(d.placement)}. Add a node to ${d.pool}, or let the pods use another pool.`));
  return [
    ...table(['node pool', 'nodes', 'per node for pods', 'pods placed', 'CPU requested', 'memory requested'], [0, 1, 2], rows),
    '',
    verdict,
    ...drains,
    '',
  ];
}

/** The plan of one instance as Markdown: every pod it runs, when, and what it asks for; then PostgreSQL connections. */
export function planMarkdown(plan: InstancePlan): string {
  const t = plan.totals;
  const of = (c: PlanWorkload['class']) => plan.workloads.filter((w) => w.class === c);
  const scheduled = of('scheduled');
  const sync = of('sync');
  const direct = plan.connections.filter((u) => u.via === 'direct');
  const rows = [
    ...of('steady').flatMap((w) => workloadRows(w, w.name)),
    totalRow('always running', t.steady),
    ...scheduled.flatMap((w) => workloadRows(w, `${w.name} (${w.schedule!.cron}${w.schedule!.mayOverlap ? ', runs may overlap' : ''})`)),
    ...(scheduled.length > 0 ? [totalRow('every CronJob at once', t.scheduled)] : []),
    ...sync.flatMap((w) => workloadRows(w, `${w.name} (${w.syncPhase})`)),
    ...(sync.length > 0 || t.sync.pods > 0 ? [totalRow(`busiest sync phase: ${t.syncPhase}${t.syncPhase === 'Sync' ? ', with rollout surge' : ''}`, t.sync)] : []),
  ];
  const b = plan.budget;
  const pooled = `${t.dbConnections} PostgreSQL connections through the pool`;
  const budget = !b
    ? `${pooled}; give database.pool.size or planMemoryGiB to check them against a limit.`
    : `${pooled}, ${percent(b.usage)} of the ${b.poolLimit} it allows (${b.poolLimitReason}): ${b.pooled <= b.poolLimit ? `${b.poolLimit - b.pooled} to spare` : `${b.pooled - b.poolLimit} too many`}.`;
  const connectionRows = plan.connections.map((u) => [u.name, u.via, u.connections, u.formula]);
  return [
    `#### \`${plan.instance}\` (Mastodon ${plan.version})`,
    '',
    ...table(HEADER, [0, 1], rows),
    '',
    'Resources are one pod\'s requests as the scheduler counts them (its containers summed, or an init container alone when that is more); a pod of several containers lists them below it. Deployments count at their most pods, CronJobs and Jobs one run (the Argo CD phase in brackets). Totals multiply by pods.',
    '',
    `- ${summary('Always running', t.steady)}.`,
    ...(scheduled.length > 0 ? [`- ${summary('With every CronJob running at once', t.always)}: what the nodes must hold outside a sync.`] : []),
    `- ${summary('At the peak of a sync', t.peak)}.`,
    '',
    ...nodesMarkdown(plan),
    ...table(['PostgreSQL client', 'via', 'connections', 'formula'], [0, 1, 3], connectionRows),
    '',
    `- ${budget}`,
    ...(direct.length > 0 ? [`- Direct connections bypass the pool and count against the cluster only: ${uses(direct)}.`] : []),
    ...(b?.clusterLimitReason ? [`- Cluster: ${b.clusterLimitReason} connections for the pool (${b.poolLimit}) and direct clients (${b.direct})${b.clusterOver ? ': too many' : ''}.`] : []),
    '',
  ].join('\n');
}

export interface PlanReport {
  /** What `plan` prints on stdout. */
  readonly output: string;
  /** Load and budget warnings. */
  readonly warnings: readonly ConfigProblem[];
  /** Budget errors: `plan` shows the table and then fails, as synth would. */
  readonly errors: readonly ConfigProblem[];
}

/** The plan of every instance, as Markdown or JSON, with the budget's verdicts. */
export function planReport(instances: readonly LoadedInstance[], json: boolean): PlanReport {
  const models = instances.map((loaded) => buildModel(loaded));
  const plans = models.map((model, i) => instancePlan(model, workloadPods(instanceObjects(model)), nodePoolCapacities(instances[i].instance)));
  const findings = instances.flatMap((loaded, i) => checkConnectionBudget(loaded, models[i]));
  return {
    output: json ? `${JSON.stringify({ instances: plans }, null, 2)}\n` : plans.map(planMarkdown).join('\n'),
    warnings: [...instances.flatMap((i) => i.warnings), ...findings.filter((f) => f.severity === 'warning').map((f) => f.problem)],
    errors: findings.filter((f) => f.severity === 'error').map((f) => f.problem),
  };
}
