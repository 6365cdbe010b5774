import { ValuePath } from '../core/source';
import { ObjectCheck, objectProblem, ObjectProblem, perObject, RenderedObject } from './object-problem';
import { dragonflyOperatorLabels } from './dragonfly-labels';
import { containersOf, findObject, get, groupOf, Json, Labels, LabelSelector, namespaceOf, podTemplates, selects, showLabels } from './objects';
import { selectedPods } from './pods';
import { rubyTmpdir } from './ruby-tmpdir';
import { affinityTargets, describeSelector, networkPolicyTargets } from './selector-targets';

/**
 * Semantic checks: what the API server would accept but the cluster would not run as meant
 * (a Service selecting no pod, an HPA scaling nothing), and what it would reject outright
 * (bad names, namespaced cluster-scoped objects, duplicates). They run on every synth.
 */

/** Kinds that live outside namespaces (built-in and those of the CRDs we use). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'RuntimeClass', 'IngressClass',
  'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService', 'CSIDriver', 'VolumeAttachment',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'GatewayClass', 'ClusterIssuer', 'ClusterTriggerAuthentication',
]);

/** RFC 1123 subdomain: most object names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_SUBDOMAIN_MAX = 253;
/** RFC 1123 label: names that become DNS labels or are used as one (Services, Namespaces, containers, Service ports). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_MAX = 63;
const DNS_LABEL_KINDS: ReadonlySet<string> = new Set(['Service', 'Namespace']);
/** IANA service name: container port names (≤ 15 characters, at least one letter, no `--`). */
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const IANA_SVC_NAME_MAX = 15;

/** A workload's selector must select its own pod template, and so must its topology spread constraints. */
export const selectorsMatchTemplates: ObjectCheck = perObject((objects) => podTemplates(objects).flatMap((t) => {
  const problems: ObjectProblem[] = [];
  const selector = get(t.at.object, ['spec', 'selector']) as LabelSelector | undefined;
  if (selector && t.at.object.kind !== 'Job' && t.at.object.kind !== 'CronJob' && !selects(selector, t.labels)) {
    problems.push(objectProblem(t.at, ['spec', 'selector'], `does not select the pod template's labels (${showLabels(t.labels)}); the API server rejects it`));
  }
  ((t.spec.topologySpreadConstraints ?? []) as Json[]).forEach((c, i) => {
    if (c.labelSelector && !selects(c.labelSelector, t.labels)) {
      problems.push(objectProblem(t.at, [...t.path, 'spec', 'topologySpreadConstraints', i, 'labelSelector'], `does not select this workload's own pods (${showLabels(t.labels)}), so it spreads nothing`));
    }
  });
  return problems;
}));

/** A Service with a selector must select pods that will run (pods.ts: workloads' and operators' pods), and its named target ports must be container ports of those pods. */
export const serviceTargets: ObjectCheck = (objects) => objects.filter((o) => o.object.kind === 'Service').flatMap((svc) => {
  const selector = get(svc.object, ['spec', 'selector']) as Labels | undefined;
  if (!selector || Object.keys(selector).length === 0) return [];
  const templates = selectedPods(objects, namespaceOf(svc), { matchLabels: selector });
  if (templates.length === 0) return [objectProblem(svc, ['spec', 'selector'], `selects no pod template in namespace "${namespaceOf(svc)}" (${showLabels(selector)})`)];
  const portNames = new Set(templates.flatMap((t) => t.portNames));
  return ((get(svc.object, ['spec', 'ports']) ?? []) as Json[]).flatMap((p, i) => (typeof p.targetPort === 'string' && !portNames.has(p.targetPort)
    ? [objectProblem(svc, ['spec', 'ports', i, 'targetPort'], `"${p.targetPort}" is not a container port name of the selected pods (${[...portNames].sort().join(', ') || 'none'})`)]
    : []));
});

/** The port of a Service that a backend names by `number` or `name`. */
function servicePort(service: RenderedObject, port: { number?: number; name?: string }): boolean {
  const ports = (get(service.object, ['spec', 'ports']) ?? []) as Json[];
  return ports.some((p) => (port.number !== undefined ? p.port === port.number : p.name === port.name));
}

function backendProblem(objects: readonly RenderedObject[], at: RenderedObject, path: ValuePath, ref: { name: string; namespace: string; port: { number?: number; name?: string } }): ObjectProblem[] {
  const service = findObject(objects, { kind: 'Service', name: ref.name, namespace: ref.namespace, group: '' });
  const portText = ref.port.number !== undefined ? String(ref.port.number) : `"${ref.port.name}"`;
  if (!service) return [objectProblem(at, path, `Service "${ref.name}" is not rendered in namespace "${ref.namespace}"`)];
  if (!servicePort(service, ref.port)) return [objectProblem(at, path, `Service "${ref.name}" has no port ${portText}`)];
  return [];
}

/** Ingress backends must be rendered Services with the named or numbered port. */
export const ingressTargets: ObjectCheck = (objects) => objects.filter((o) => o.object.kind === 'Ingress').flatMap((ing) => {
  const ns = namespaceOf(ing);
  const backends: { path: ValuePath; service: Json }[] = [];
  const def = get(ing.object, ['spec', 'defaultBackend', 'service']);
  if (def) backends.push({ path: ['spec', 'defaultBackend', 'service'], service: def });
  ((get(ing.object, ['spec', 'rules']) ?? []) as Json[]).forEach((rule, r) => ((rule.http?.paths ?? []) as Json[]).forEach((p, i) => {
    if (p.backend?.service) backends.push({ path: ['spec', 'rules', r, 'http', 'paths', i, 'backend', 'service'], service: p.backend.service });
  }));
  return backends.flatMap((b) => backendProblem(objects, ing, b.path, { name: b.service.name, namespace: ns, port: b.service.port ?? {} }));
});

/** HTTPRoute backendRefs to Services must be rendered Services with that port. */
export const httpRouteTargets: ObjectCheck = (objects) => objects.filter((o) => o.object.kind === 'HTTPRoute').flatMap((route) =>
  ((get(route.object, ['spec', 'rules']) ?? []) as Json[]).flatMap((rule, r) => ((rule.backendRefs ?? []) as Json[]).flatMap((ref, i) => {
    if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service') return [];
    return backendProblem(objects, route, ['spec', 'rules', r, 'backendRefs', i], { name: ref.name, namespace: ref.namespace ?? namespaceOf(route), port: { number: ref.port } });
  })));

/** A PodDisruptionBudget must select pods, or it protects nothing. */
export const disruptionBudgetTargets: ObjectCheck = (objects) => objects.filter((o) => o.object.kind === 'PodDisruptionBudget').flatMap((pdb) => {
  const selector = (get(pdb.object, ['spec', 'selector']) ?? {}) as LabelSelector;
  return selectedPods(objects, namespaceOf(pdb), selector).length > 0 ? [] : [objectProblem(pdb, ['spec', 'selector'], `selects no pod template in namespace "${namespaceOf(pdb)}" (${describeSelector(selector)}), so it protects nothing`)];
});

/** HPA and KEDA ScaledObject targets must be rendered, and must leave `replicas` to the autoscaler. */
export const autoscalerTargets: ObjectCheck = (objects) => objects.flatMap((scaler) => {
  const kind = scaler.object.kind;
  if (!((kind === 'HorizontalPodAutoscaler' && groupOf(scaler.object.apiVersion) === 'autoscaling') || (kind === 'ScaledObject' && groupOf(scaler.object.apiVersion) === 'keda.sh'))) return [];
  const ref = (get(scaler.object, ['spec', 'scaleTargetRef']) ?? {}) as Json;
  const targetKind = ref.kind ?? 'Deployment';
  const target = findObject(objects, { kind: targetKind, name: ref.name, namespace: namespaceOf(scaler), group: groupOf(ref.apiVersion ?? 'apps/v1') });
  if (!target) return [objectProblem(scaler, ['spec', 'scaleTargetRef'], `${targetKind} "${ref.name}" is not rendered in namespace "${namespaceOf(scaler)}"`)];
  if (get(target.object, ['spec', 'replicas']) !== undefined) {
    return [objectProblem(scaler, ['spec', 'scaleTargetRef'], `${targetKind} "${ref.name}" sets spec.replicas; Argo CD would reset the autoscaler's count on every sync: leave replicas out`)];
  }
  return [];
});

function nameProblem(value: string, pattern: RegExp, max: number, what: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return `${what} is missing`;
  if (value.length > max) return `"${value}" is not allowed: ${what} of at most ${max} characters (it has ${value.length})`;
  if (!pattern.test(value)) return `"${value}" is not allowed: ${what}: lowercase letters, digits and '-'${pattern === DNS_SUBDOMAIN ? " or '.'" : ''}, starting and ending with a letter or digit`;
  return undefined;
}

/** Object, container and Service port names must be valid DNS names. */
export const validNames: ObjectCheck = perObject((objects) => objects.flatMap((o) => {
  const problems: ObjectProblem[] = [];
  const label = DNS_LABEL_KINDS.has(o.object.kind);
  const own = nameProblem(o.object.metadata?.name, label ? DNS_LABEL : DNS_SUBDOMAIN, label ? DNS_LABEL_MAX : DNS_SUBDOMAIN_MAX, label ? 'a DNS label' : 'a DNS subdomain');
  if (own) problems.push(objectProblem(o, ['metadata', 'name'], own));
  for (const c of podTemplates([o]).flatMap(containersOf)) {
    const p = nameProblem(c.container.name, DNS_LABEL, DNS_LABEL_MAX, 'a DNS label');
    if (p) problems.push(objectProblem(o, [...c.path, 'name'], p));
  }
  if (o.object.kind === 'Service') {
    ((get(o.object, ['spec', 'ports']) ?? []) as Json[]).forEach((port, i) => {
      const p = port.name === undefined ? undefined : nameProblem(port.name, DNS_LABEL, DNS_LABEL_MAX, 'a DNS label');
      if (p) problems.push(objectProblem(o, ['spec', 'ports', i, 'name'], p));
    });
  }
  return problems;
}));

/** Container port names are IANA service names: at most 15 characters, with a letter, no `--`. */
export const containerPortNames: ObjectCheck = perObject((objects) => podTemplates(objects).flatMap(containersOf).flatMap((c) =>
  ((c.container.ports ?? []) as Json[]).flatMap((port, i) => {
    const name = port.name;
    if (name === undefined) return [];
    const path = [...c.path, 'ports', i, 'name'];
    if (typeof name !== 'string' || name.length > IANA_SVC_NAME_MAX) return [objectProblem(c.template.at, path, `"${name}" is not allowed: a port name has at most ${IANA_SVC_NAME_MAX} characters`)];
    if (!IANA_SVC_NAME.test(name) || !/[a-z]/.test(name) || name.includes('--')) {
      return [objectProblem(c.template.at, path, `"${name}" is not allowed: a port name has lowercase letters, digits and single '-', at least one letter`)];
    }
    return [];
  })));

/** Cluster-scoped objects must not carry a namespace (cdk8s charts stamp theirs on everything). */
export function clusterScopedWithoutNamespace(extraClusterScoped: ReadonlySet<string> = new Set()): ObjectCheck {
  return perObject((objects) => objects.flatMap((o) => ((CLUSTER_SCOPED_KINDS.has(o.object.kind) || extraClusterScoped.has(o.object.kind)) && o.object.metadata?.namespace !== undefined
    ? [objectProblem(o, ['metadata', 'namespace'], `a ${o.object.kind} is cluster-scoped and has no namespace; render it in a chart without one`)]
    : [])));
}

/** Who an object is to the API server: its API group, kind, namespace and name. */
export function identityKey(o: RenderedObject): string {
  return [groupOf(o.object.apiVersion), o.object.kind, namespaceOf(o), o.object.metadata?.name].join('/');
}

/** No two objects may share API group, kind, namespace and name: one would silently replace the other. */
export const noDuplicates: ObjectCheck = (objects) => {
  const seen = new Map<string, RenderedObject>();
  return objects.flatMap((o) => {
    const key = identityKey(o);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, o);
      return [];
    }
    return [objectProblem(o, ['metadata', 'name'], `duplicates the ${o.object.kind} in ${first.file}`)];
  });
};

/** Every semantic check; `clusterScoped` adds the cluster-scoped kinds of user-supplied CRDs. */
export function semanticChecks(clusterScoped?: ReadonlySet<string>): ObjectCheck[] {
  return [selectorsMatchTemplates, serviceTargets, ingressTargets, httpRouteTargets, disruptionBudgetTargets, autoscalerTargets,
    validNames, containerPortNames, clusterScopedWithoutNamespace(clusterScoped), noDuplicates,
    dragonflyOperatorLabels, networkPolicyTargets, affinityTargets, rubyTmpdir];
}
