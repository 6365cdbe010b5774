import { isDeepStrictEqual } from 'node:util';

/**
 * Facts about upstream: the fields the Kubernetes 1.33 API server refuses to change on an object
 * that already exists (an update, which is what `kubectl apply` and Argo CD send for an object
 * that keeps its apiVersion group, kind, namespace and name).
 *
 * Sources:
 * - Update validation in kubernetes/kubernetes `pkg/apis/batch/validation/validation.go`
 *   (`ValidateJobSpecUpdate`, `validatePodTemplateUpdate`, `validateCompletions`),
 *   `pkg/apis/apps/validation/validation.go` (`ValidateStatefulSetUpdate`),
 *   `pkg/registry/apps/deployment/strategy.go` (`ValidateUpdate`: selector immutable in apps/v1),
 *   `pkg/apis/core/validation/validation.go` (`ValidateServiceUpdate`,
 *   `ValidatePersistentVolumeClaimUpdate`, `ValidateConfigMapUpdate`, `ValidateSecretUpdate`) and
 *   `pkg/registry/core/service/strategy.go` (`dropTypeDependentFields`).
 *   The kubernetes/kubernetes tag itself could not be read here (its snapshot exceeds the fetch
 *   limit): these functions were read in copies of the repository found by code search (core
 *   validation at the fork yongruilin/kubernetes@038b410b), so they are cited by function,
 *   not by line.
 * - The API documentation of the release, kubernetes/api@v0.33.0 (published from kubernetes
 *   v1.33.0), cited by line on each rule.
 * - CRDs' own rules (`x-kubernetes-validations: self == oldSelf`), pinned under ../shared/crds.
 * Contract tests: test/contracts/kubernetes-immutable-fields.test.ts.
 */

/** A Kubernetes object as rendered (parsed YAML). */
export type KubeObject = Readonly<Record<string, unknown>>;

export interface ImmutableFieldRule {
  /** API group (`''` for core) and kind the rule applies to; the version does not matter. */
  readonly group: string;
  readonly kind: string;
  /** The field as a reviewer reads it, e.g. `spec.template`. */
  readonly field: string;
  /** Why the API server refuses the update, in a reviewer's words. */
  readonly why: string;
  /** What to do instead. */
  readonly fix: string;
  /** Where upstream says so (repo@tag:file:line or function). */
  readonly source: string;
  /** The fields whose change from `before` to `after` the API server rejects; empty when it accepts the update. */
  readonly rejected: (before: KubeObject, after: KubeObject) => readonly string[];
}

/** The usual ways out for an object that must change an immutable field. */
const RECREATE = 'give it a new name (Argo CD creates it and prunes the old one; a hook is left to its delete policy), delete it before the sync so Argo CD creates it again, or annotate it `argocd.argoproj.io/sync-options: Force=true,Replace=true` (Argo CD then deletes and recreates it)';

/** `spec.template` → the value at that path, or undefined. */
export function valueAt(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (isRecord(v) ? v[key] : undefined), object);
}

/** The path when its value differs between the two objects (absent counts as a value). */
function changed(before: KubeObject, after: KubeObject, path: string): string[] {
  return isDeepStrictEqual(valueAt(before, path), valueAt(after, path)) ? [] : [path];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `spec` without the given keys. */
function without(spec: unknown, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(isRecord(spec) ? spec : {}).filter(([k]) => !keys.includes(k)));
}

/** The top-level `spec` keys, other than `mutable`, whose values differ. */
function changedSpecKeysExcept(before: KubeObject, after: KubeObject, mutable: readonly string[]): string[] {
  const a = without(before.spec, mutable);
  const b = without(after.spec, mutable);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().filter((k) => !isDeepStrictEqual(a[k], b[k])).map((k) => `spec.${k}`);
}

// ---- Job (batch) ----

/**
 * The pod-template fields a suspended Job that never started may change (kubernetes/kubernetes
 * `pkg/apis/batch/validation/validation.go` `validatePodTemplateUpdate`, AllowMutableSchedulingDirectives).
 */
const SUSPENDED_JOB_MUTABLE_TEMPLATE = ['metadata.labels', 'metadata.annotations', 'spec.nodeSelector', 'spec.tolerations', 'spec.schedulingGates', 'spec.affinity.nodeAffinity'];

function withoutPaths(value: unknown, paths: readonly string[]): unknown {
  const copy = structuredClone(value) as Record<string, unknown> | undefined;
  for (const p of paths) {
    const keys = p.split('.');
    const parent = keys.length > 1 ? valueAt(copy, keys.slice(0, -1).join('.')) : copy;
    if (isRecord(parent)) delete parent[keys[keys.length - 1]];
  }
  return copy;
}

function jobTemplateRejected(before: KubeObject, after: KubeObject): string[] {
  if (changed(before, after, 'spec.template').length === 0) return [];
  // A Job rendered suspended on both sides has not started: only its scheduling directives may change.
  const suspended = valueAt(before, 'spec.suspend') === true && valueAt(after, 'spec.suspend') === true;
  if (suspended && isDeepStrictEqual(withoutPaths(valueAt(before, 'spec.template'), SUSPENDED_JOB_MUTABLE_TEMPLATE), withoutPaths(valueAt(after, 'spec.template'), SUSPENDED_JOB_MUTABLE_TEMPLATE))) return [];
  return ['spec.template'];
}

function jobCompletionsRejected(before: KubeObject, after: KubeObject): string[] {
  if (changed(before, after, 'spec.completions').length === 0) return [];
  // Elastic Indexed Jobs: completions may change together with parallelism (validateCompletions).
  const indexed = valueAt(after, 'spec.completionMode') === 'Indexed';
  const completions = valueAt(after, 'spec.completions');
  if (indexed && (completions === undefined || completions === valueAt(after, 'spec.parallelism'))) return [];
  return ['spec.completions'];
}

const JOB_SOURCE = 'kubernetes/kubernetes pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate';

// ---- Service (core) ----

function serviceType(o: KubeObject): string {
  const t = valueAt(o, 'spec.type');
  return typeof t === 'string' ? t : 'ClusterIP';
}

/**
 * A rendered clusterIP the API server refuses: both sides need a cluster IP (not ExternalName) and
 * the new render sets a value other than the old one. An unset value keeps the allocated IP
 * (the registry copies it over); a switch to or from ExternalName releases or allocates it
 * (`dropTypeDependentFields`), so a type change alone is accepted.
 */
function clusterIpRejected(path: 'spec.clusterIP' | 'spec.clusterIPs') {
  return (before: KubeObject, after: KubeObject): string[] => {
    if (serviceType(before) === 'ExternalName' || serviceType(after) === 'ExternalName') return [];
    const now = valueAt(after, path);
    if (now === undefined || (Array.isArray(now) && now.length === 0)) return [];
    // clusterIPs: the primary (first) IP is fixed, and it is the clusterIP (kubernetes/api@v0.33.0:core/v1/types.go:5637-5638);
    // a secondary may be added or dropped for dual-stack.
    const primary = (o: KubeObject) => (valueAt(o, 'spec.clusterIPs') as unknown[] | undefined)?.[0] ?? valueAt(o, 'spec.clusterIP');
    return path === 'spec.clusterIPs' ? (primary(after) === primary(before) ? [] : [path]) : changed(before, after, path);
  };
}

// ---- PersistentVolumeClaim (core) ----

/** Binary and decimal suffixes of a Kubernetes quantity (k8s.io/apimachinery pkg/api/resource/quantity.go). */
const QUANTITY_SUFFIX: Readonly<Record<string, number>> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** `10Gi` → 10737418240; undefined when it is not a quantity. */
export function quantityValue(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  const m = typeof q === 'string' ? /^([+-]?[0-9.]+)(?:[eE]([+-]?[0-9]+))?([a-zA-Z]*)$/.exec(q) : null;
  if (!m || !(m[3] in QUANTITY_SUFFIX)) return undefined;
  return Number(m[1]) * 10 ** Number(m[2] ?? 0) * QUANTITY_SUFFIX[m[3]];
}

/** PVC spec fields that may change after creation (ValidatePersistentVolumeClaimUpdate). */
const PVC_MUTABLE_SPEC = ['resources', 'volumeAttributesClassName'];

function pvcSpecRejected(before: KubeObject, after: KubeObject): string[] {
  // volumeName may be set once, when the claim binds; the rest of the spec is fixed.
  const specKeys = changedSpecKeysExcept(before, after, PVC_MUTABLE_SPEC)
    .filter((p) => !(p === 'spec.volumeName' && !valueAt(before, 'spec.volumeName')));
  // Within resources, only requests may change (limits are part of the fixed spec).
  return [...specKeys, ...changed(before, after, 'spec.resources.limits')];
}

function pvcShrinkRejected(before: KubeObject, after: KubeObject): string[] {
  const path = 'spec.resources.requests.storage';
  const was = quantityValue(valueAt(before, path));
  const now = quantityValue(valueAt(after, path));
  return was !== undefined && now !== undefined && now < was ? [path] : [];
}

// ---- ConfigMap / Secret (core) ----

function immutableDataRejected(dataFields: readonly string[]) {
  return (before: KubeObject, after: KubeObject): string[] => {
    if (before.immutable !== true) return [];
    return [...(after.immutable === true ? [] : ['immutable']), ...dataFields.flatMap((f) => changed(before, after, f))];
  };
}

const STATEFULSET_MUTABLE_SPEC = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

const K8S_API = 'kubernetes/api@v0.33.0';

/** Every rule, by kind. */
export const IMMUTABLE_FIELD_RULES: readonly ImmutableFieldRule[] = [
  {
    group: 'batch', kind: 'Job', field: 'spec.template',
    why: "a Job's pod template cannot change once the Job exists (only a suspended Job that never started may change its scheduling fields)",
    fix: `${RECREATE}; for an Argo CD hook, add \`BeforeHookCreation\` to \`argocd.argoproj.io/hook-delete-policy\``,
    source: `${JOB_SOURCE} → validatePodTemplateUpdate (ValidateImmutableField on spec.template)`,
    rejected: jobTemplateRejected,
  },
  {
    group: 'batch', kind: 'Job', field: 'spec.selector',
    why: "a Job's selector is fixed at creation",
    fix: RECREATE,
    source: `${JOB_SOURCE} (ValidateImmutableField on spec.selector)`,
    rejected: (b, a) => changed(b, a, 'spec.selector'),
  },
  {
    group: 'batch', kind: 'Job', field: 'spec.completions',
    why: "a Job's completions are fixed at creation, except for an Indexed Job that changes completions and parallelism together",
    fix: RECREATE,
    source: `${JOB_SOURCE} → validateCompletions`,
    rejected: jobCompletionsRejected,
  },
  {
    group: 'batch', kind: 'Job', field: 'spec.completionMode, podFailurePolicy, backoffLimitPerIndex, managedBy, successPolicy',
    why: 'these Job fields are fixed at creation',
    fix: RECREATE,
    source: `${JOB_SOURCE} (ValidateImmutableField on each); ${K8S_API}:batch/v1/types.go:343,359,471`,
    rejected: (b, a) => ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'].flatMap((f) => changed(b, a, `spec.${f}`)),
  },
  ...(['Deployment', 'ReplicaSet', 'DaemonSet'] as const).map((kind): ImmutableFieldRule => ({
    group: 'apps', kind, field: 'spec.selector',
    why: `a ${kind}'s selector is immutable in apps/v1 (it decides which pods it owns)`,
    fix: `${RECREATE}; to keep the pods serving while you do, delete it with \`kubectl delete ${kind.toLowerCase()} <name> --cascade=orphan\` and let the sync create the new one`,
    source: `kubernetes/kubernetes pkg/registry/apps/${kind.toLowerCase()}/strategy.go ValidateUpdate (ValidateImmutableField on spec.selector for apps/v1); ${K8S_API}:apps/v1/types.go:383-386`,
    rejected: (b, a) => changed(b, a, 'spec.selector'),
  })),
  {
    group: 'apps', kind: 'StatefulSet', field: 'spec (other than replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy, minReadySeconds)',
    why: "a StatefulSet's selector, serviceName, volumeClaimTemplates, podManagementPolicy and revisionHistoryLimit are fixed at creation",
    fix: `${RECREATE}; \`kubectl delete statefulset <name> --cascade=orphan\` keeps the pods and their volumes while the sync creates the new one (volumeClaimTemplates apply to new claims only)`,
    source: `kubernetes/kubernetes pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate ("updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"); ${K8S_API}:apps/v1/types.go:196,216,224,235`,
    rejected: (b, a) => changedSpecKeysExcept(b, a, STATEFULSET_MUTABLE_SPEC),
  },
  {
    group: '', kind: 'Service', field: 'spec.clusterIP',
    why: "a Service's cluster IP cannot change while it keeps a type that needs one (the switch to or from ExternalName is allowed)",
    fix: 'leave `clusterIP` unset so the allocated one is kept; to change it, delete the Service before the sync (Argo CD creates it again) or annotate it `argocd.argoproj.io/sync-options: Force=true,Replace=true`',
    source: `kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidateServiceUpdate (ValidateImmutableField on spec.clusterIP unless a type is ExternalName); ${K8S_API}:core/v1/types.go:5603-5619`,
    rejected: clusterIpRejected('spec.clusterIP'),
  },
  {
    group: '', kind: 'Service', field: 'spec.clusterIPs',
    why: "a Service's primary cluster IP cannot change while it keeps a type that needs one (a secondary IP may be added or removed for dual-stack)",
    fix: 'leave `clusterIPs` unset so the allocated ones are kept; to change them, delete the Service before the sync or annotate it `argocd.argoproj.io/sync-options: Force=true,Replace=true`',
    source: `kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidateServiceUpdate → validateServiceClusterIPsRelatedFields; ${K8S_API}:core/v1/types.go:5621-5646`,
    rejected: clusterIpRejected('spec.clusterIPs'),
  },
  {
    group: '', kind: 'PersistentVolumeClaim', field: 'spec (other than resources.requests, volumeAttributesClassName)',
    why: "a claim's spec (storageClassName, accessModes, selector, volumeMode, dataSource, resources.limits…) is fixed once created; only requests (to grow) and volumeAttributesClassName may change",
    fix: 'keep the claim as it is, or create a claim under a new name and move the data (deleting the claim deletes its volume when the reclaim policy is Delete)',
    source: `kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaimUpdate ("spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"); ${K8S_API}:core/v1/types.go:554-630`,
    rejected: pvcSpecRejected,
  },
  {
    group: '', kind: 'PersistentVolumeClaim', field: 'spec.resources.requests.storage',
    why: 'a volume cannot shrink: the requested storage may only grow (and only where the StorageClass allows expansion)',
    fix: 'keep the current size, or create a smaller claim under a new name and move the data',
    source: `kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaimUpdate ("field can not be less than previous value" / "status.capacity"); ${K8S_API}:core/v1/types.go:563-569`,
    rejected: pvcShrinkRejected,
  },
  {
    group: '', kind: 'ConfigMap', field: 'data, binaryData, immutable (of an immutable ConfigMap)',
    why: 'a ConfigMap created with `immutable: true` never changes its data and stays immutable',
    fix: 'give the ConfigMap a new name (e.g. with a hash of its data) and point the pods at it, or delete it before the sync',
    source: `kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidateConfigMapUpdate; ${K8S_API}:core/v1/types.go:7686-7691`,
    rejected: immutableDataRejected(['data', 'binaryData']),
  },
  {
    group: '', kind: 'Secret', field: 'data, stringData, immutable (of an immutable Secret)',
    why: 'a Secret created with `immutable: true` never changes its data and stays immutable',
    fix: 'give the Secret a new name and point the pods at it, or delete it before the sync',
    source: `kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidateSecretUpdate; ${K8S_API}:core/v1/types.go:7543-7548`,
    rejected: immutableDataRejected(['data', 'stringData']),
  },
  {
    group: '', kind: 'Secret', field: 'type',
    why: "a Secret's type is fixed at creation",
    fix: RECREATE,
    source: 'kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidateSecretUpdate (ValidateImmutableField on type)',
    rejected: (b, a) => ((b.type ?? 'Opaque') === (a.type ?? 'Opaque') ? [] : ['type']),
  },
  {
    group: 'gateway.networking.k8s.io', kind: 'GatewayClass', field: 'spec.controllerName',
    why: "a GatewayClass's controllerName is immutable (the CRD's own rule `self == oldSelf`)",
    fix: RECREATE,
    source: 'kubernetes-sigs/gateway-api@v1.6.1:config/crd/standard/gateway.networking.k8s.io_gatewayclasses.yaml:95-97 (pinned in ../shared/crds)',
    rejected: (b, a) => changed(b, a, 'spec.controllerName'),
  },
];

/** The API group of an apiVersion: `batch/v1` → `batch`, `v1` → ``. */
export function apiGroup(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** The rules of one kind. */
export function rulesFor(apiVersion: string, kind: string): readonly ImmutableFieldRule[] {
  const group = apiGroup(apiVersion);
  return IMMUTABLE_FIELD_RULES.filter((r) => r.group === group && r.kind === kind);
}
