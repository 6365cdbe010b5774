import { ApiObject, Chart } from 'cdk8s';
import { HOOK_ANNOTATION } from '../catalog/argocd';
import { GroupKind } from '../catalog/operators';

/**
 * The API groups Kubernetes 1.33 serves itself; every other group is a custom resource whose CRD
 * an operator installs (cert-manager.io, dragonflydb.io, keda.sh, gateway.networking.k8s.io…).
 * test/argocd/rendered-kinds.test.ts checks the list against Kubernetes' own schema.
 */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '', 'admission.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'apps',
  'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling', 'batch', 'certificates.k8s.io',
  'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io', 'extensions', 'flowcontrol.apiserver.k8s.io',
  'imagepolicy.k8s.io', 'internal.apiserver.k8s.io', 'networking.k8s.io', 'node.k8s.io', 'policy',
  'rbac.authorization.k8s.io', 'resource.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io',
  'storagemigration.k8s.io',
]);

/** The objects a chart renders (not those of other charts in the same app). */
export function chartApiObjects(chart: Chart): ApiObject[] {
  return chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
}

function isClusterScoped(chart: Chart, o: ApiObject): boolean {
  return !(o.metadata.namespace ?? chart.namespace);
}

/** An object's API group as Argo CD names it: `''` for the core group (cdk8s says `core`). */
function apiGroup(o: ApiObject): string {
  return o.apiGroup === 'core' ? '' : o.apiGroup;
}

const groupKind = (o: ApiObject): GroupKind => ({ group: apiGroup(o), kind: o.kind });

/** The kinds of the objects the charts render without a namespace (ClusterIssuers…). */
export function clusterScopedKinds(charts: readonly Chart[]): GroupKind[] {
  return charts.flatMap((chart) => chartApiObjects(chart).filter((o) => isClusterScoped(chart, o)).map(groupKind));
}

/** The namespaces the charts' objects name themselves (not their chart's), sorted. */
export function explicitNamespaces(charts: readonly Chart[]): string[] {
  return [...new Set(charts.flatMap((chart) => chartApiObjects(chart).map((o) => o.metadata.namespace).filter((ns): ns is string => ns !== undefined && ns !== chart.namespace)))].sort();
}

/** The kinds of the objects the charts render into a namespace. */
export function namespacedKinds(charts: readonly Chart[]): GroupKind[] {
  return charts.flatMap((chart) => chartApiObjects(chart).filter((o) => !isClusterScoped(chart, o)).map(groupKind));
}

/** Whether the chart renders a custom resource (its CRD comes from an operator, in an earlier wave). */
export function rendersCustomResources(chart: Chart): boolean {
  return chartApiObjects(chart).some((o) => !BUILT_IN_GROUPS.has(apiGroup(o)));
}

/** The names of the chart's Jobs that are not Argo CD hooks (they run once per name). */
export function plainJobNames(chart: Chart): string[] {
  return chartApiObjects(chart)
    .filter((o) => apiGroup(o) === 'batch' && o.kind === 'Job' && o.metadata.toJson().annotations?.[HOOK_ANNOTATION] === undefined)
    .map((o) => o.name);
}
