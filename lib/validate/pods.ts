import { ACME_SOLVER_LABEL, ACME_SOLVER_LABEL_VALUE, CLUSTER_ISSUER_ANNOTATION, ISSUER_ANNOTATION } from '../catalog/cert-manager';
import {
  CHECKED_LABEL_FIELDS, DRAGONFLY_CONTAINER_PORTS, dragonflyPodLabelSets, dragonflyPodTemplateLabels, OPERATOR_MANAGED_LABEL_KEYS,
} from '../catalog/dragonfly-operator';
import { RenderedObject } from './object-problem';
import { containersOf, get, groupOf, Json, Labels, LabelSelector, namespaceOf, podTemplates, selects } from './objects';

/**
 * The pods that will run in each namespace once the rendered objects are applied: those of the
 * workloads' pod templates (Deployments, StatefulSets, Jobs, CronJobs…), those the Dragonfly
 * operator creates for each Dragonfly (with the labels it really gives them), and cert-manager's
 * HTTP-01 solver pods where a certificate is solved that way. Built once per set of objects and
 * shared by every check that asks which pods a selector reaches.
 */

/** A pod that will run (one per pod template or Dragonfly role: replicas share their labels). */
export interface PodAt {
  /** The object it comes from: a workload, a Dragonfly, or the Ingress/Gateway/Certificate of a challenge. */
  readonly at: RenderedObject;
  readonly labels: Labels;
  /** Its containers' port names. */
  readonly portNames: readonly string[];
}

export interface PodIndex {
  /** The pods that will run in `namespace`. */
  readonly pods: (namespace: string) => readonly PodAt[];
}

const DRAGONFLY_GROUP = 'dragonflydb.io';
const CERT_MANAGER_GROUP = 'cert-manager.io';
const NONE: readonly PodAt[] = [];

/** Whether `o` is a Dragonfly of the operator's API group. */
export function isDragonfly(o: RenderedObject): boolean {
  return o.object.kind === 'Dragonfly' && groupOf(o.object.apiVersion) === DRAGONFLY_GROUP;
}

/** Whether the operator refuses `dragonfly` for a label key it owns (and so creates nothing). */
function refusedByOperator(dragonfly: RenderedObject): boolean {
  return CHECKED_LABEL_FIELDS.some((field) => Object.keys(get(dragonfly.object, field) ?? {}).some((key) => OPERATOR_MANAGED_LABEL_KEYS.includes(key)));
}

/** The pods the Dragonfly operator will run for `dragonfly`: none if it refuses the object. */
function dragonflyPods(dragonfly: RenderedObject): PodAt[] {
  if (refusedByOperator(dragonfly)) return [];
  const spec = (get(dragonfly.object, ['spec']) ?? {}) as Json;
  const template = dragonflyPodTemplateLabels(dragonfly.object.metadata.name, spec.labels, spec.podMetadata?.labels);
  const portNames = Object.keys(DRAGONFLY_CONTAINER_PORTS);
  // `replicas` has no default in the CRD: the operator passes 0 on to the StatefulSet (resources.go:180).
  return dragonflyPodLabelSets(template, typeof spec.replicas === 'number' ? spec.replicas : 0).map((labels) => ({ at: dragonfly, labels, portNames }));
}

/**
 * HTTP-01 solver pods, one per namespace that asks an issuer with an HTTP-01 solver for a
 * certificate (an ingress-shim/gateway-shim annotation or a Certificate). An issuer that is not
 * rendered here may solve either way, so it counts as HTTP-01.
 */
function acmeSolverPods(objects: readonly RenderedObject[]): PodAt[] {
  const issuers = new Map(objects.filter((o) => groupOf(o.object.apiVersion) === CERT_MANAGER_GROUP && (o.object.kind === 'ClusterIssuer' || o.object.kind === 'Issuer'))
    .map((o) => [`${o.object.kind}/${o.object.kind === 'Issuer' ? namespaceOf(o) : ''}/${o.object.metadata.name}`, o]));
  const solvesHttp01 = (kind: string, namespace: string, name: string) => {
    const issuer = issuers.get(`${kind}/${kind === 'Issuer' ? namespace : ''}/${name}`);
    return !issuer || ((get(issuer.object, ['spec', 'acme', 'solvers']) ?? []) as Json[]).some((s) => s.http01 !== undefined);
  };
  const byNamespace = new Map<string, PodAt>();
  for (const o of objects) {
    const ns = namespaceOf(o);
    const annotations = (get(o.object, ['metadata', 'annotations']) ?? {}) as Labels;
    const wants = o.object.kind === 'Certificate' && groupOf(o.object.apiVersion) === CERT_MANAGER_GROUP
      ? solvesHttp01(get(o.object, ['spec', 'issuerRef', 'kind']) ?? 'Issuer', ns, get(o.object, ['spec', 'issuerRef', 'name']))
      : (o.object.kind === 'Ingress' || o.object.kind === 'Gateway')
        && ((annotations[CLUSTER_ISSUER_ANNOTATION] !== undefined && solvesHttp01('ClusterIssuer', ns, annotations[CLUSTER_ISSUER_ANNOTATION]))
          || (annotations[ISSUER_ANNOTATION] !== undefined && solvesHttp01('Issuer', ns, annotations[ISSUER_ANNOTATION])));
    if (wants && !byNamespace.has(ns)) byNamespace.set(ns, { at: o, labels: { [ACME_SOLVER_LABEL]: ACME_SOLVER_LABEL_VALUE }, portNames: [] });
  }
  return [...byNamespace.values()];
}

function buildIndex(objects: readonly RenderedObject[]): PodIndex {
  const byNamespace = new Map<string, PodAt[]>();
  const add = (pod: PodAt) => {
    const ns = namespaceOf(pod.at);
    const list = byNamespace.get(ns);
    if (list) list.push(pod); else byNamespace.set(ns, [pod]);
  };
  for (const t of podTemplates(objects)) {
    add({ at: t.at, labels: t.labels, portNames: containersOf(t).flatMap((c) => ((c.container.ports ?? []) as Json[]).map((p) => p.name).filter((n) => typeof n === 'string')) });
  }
  objects.filter(isDragonfly).flatMap(dragonflyPods).forEach(add);
  acmeSolverPods(objects).forEach(add);
  return { pods: (namespace) => byNamespace.get(namespace) ?? NONE };
}

const INDEXES = new WeakMap<readonly RenderedObject[], PodIndex>();

/** The pod index of `objects`, built on first use and shared by every check over the same array. */
export function podIndex(objects: readonly RenderedObject[]): PodIndex {
  let index = INDEXES.get(objects);
  if (!index) {
    index = buildIndex(objects);
    INDEXES.set(objects, index);
  }
  return index;
}

/** The pods that `selector` selects in `namespace`. */
export function selectedPods(objects: readonly RenderedObject[], namespace: string, selector: LabelSelector): PodAt[] {
  return podIndex(objects).pods(namespace).filter((p) => selects(selector, p.labels));
}

/** Whether a selector is empty (`{}`), which selects every pod. */
export function selectsEverything(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}
