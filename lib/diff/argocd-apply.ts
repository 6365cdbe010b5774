/**
 * Facts about upstream: how Argo CD v3.5.1 writes an object it finds live under the same name
 * (gitops-engine in argoproj/argo-cd@v3.5.1). Most objects are applied in place — an update,
 * which the API server checks against the live object — but some are deleted and created again,
 * and then no field is "changed". Contract tests: test/contracts/argocd-apply.test.ts.
 */

/** argo-cd@v3.5.1:gitops-engine/pkg/sync/common/types.go:12,16,18 */
export const ANNOTATION_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
export const ANNOTATION_HOOK = 'argocd.argoproj.io/hook';
export const ANNOTATION_HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';

/** argo-cd@v3.5.1:gitops-engine/pkg/sync/common/types.go:116-131 (NewHookType) and :135-145 (NewHookDeletePolicy). */
const HOOK_TYPES = ['PreSync', 'Sync', 'PostSync', 'Skip', 'SyncFail'];
const HOOK_DELETE_POLICIES = ['HookSucceeded', 'HookFailed', 'BeforeHookCreation'];
/** argo-cd@v3.5.1:gitops-engine/pkg/sync/common/types.go:28,32 */
const SYNC_OPTION_REPLACE = 'Replace=true';
const SYNC_OPTION_FORCE = 'Force=true';

/** How Argo CD writes the new version of a live object. */
export type ArgoWrite =
  | { readonly recreates: true; readonly because: string }
  | { readonly recreates: false; readonly note?: string };

type Annotated = { readonly metadata?: { readonly annotations?: Readonly<Record<string, unknown>> } } | unknown;

/**
 * The values of a comma-separated annotation, trimmed, empty ones dropped
 * (argo-cd@v3.5.1:gitops-engine/pkg/sync/resource/annotations.go:16-32).
 */
export function annotationValues(object: Annotated, key: string): string[] {
  const annotations = (object as { metadata?: { annotations?: Record<string, unknown> } } | null)?.metadata?.annotations;
  const value = annotations?.[key];
  return typeof value === 'string' ? [...new Set(value.split(',').map((v) => v.trim()).filter(Boolean))] : [];
}

/**
 * An Argo CD hook: it has the hook annotation with a type other than `Skip` alone
 * (argo-cd@v3.5.1:gitops-engine/pkg/sync/hook/hook.go:26-41). Helm's `helm.sh/hook` is not
 * rendered by this repository and not modelled.
 */
export function isHook(object: Annotated): boolean {
  const types = annotationValues(object, ANNOTATION_HOOK).filter((t) => HOOK_TYPES.includes(t));
  return hasAnnotation(object, ANNOTATION_HOOK) && !(types.length === 1 && types[0] === 'Skip');
}

function hasAnnotation(object: Annotated, key: string): boolean {
  const annotations = (object as { metadata?: { annotations?: Record<string, unknown> } } | null)?.metadata?.annotations;
  return annotations !== undefined && Object.prototype.hasOwnProperty.call(annotations, key);
}

/**
 * A hook's delete policies; none given means `BeforeHookCreation`
 * (argo-cd@v3.5.1:gitops-engine/pkg/sync/hook/delete_policy.go:11-26).
 */
export function hookDeletePolicies(object: Annotated): string[] {
  const policies = annotationValues(object, ANNOTATION_HOOK_DELETE_POLICY).filter((p) => HOOK_DELETE_POLICIES.includes(p));
  return policies.length > 0 ? policies : ['BeforeHookCreation'];
}

/**
 * Whether Argo CD deletes and creates `after` instead of updating the live object (`before`):
 * - a hook with `BeforeHookCreation` is deleted before it is created again
 *   (argo-cd@v3.5.1:gitops-engine/pkg/sync/sync_task.go:121-136, the policies of the new object);
 * - a hook with `HookSucceeded` was deleted after its last successful run, so the next sync creates it;
 * - `Replace=true` together with `Force=true`, on the new or the live object, runs
 *   `kubectl replace --force`: delete, then create (argo-cd@v3.5.1:gitops-engine/pkg/sync/sync_context.go:1400-1401, 1418-1433).
 * `Replace=true` alone is `kubectl replace`, an update the API server validates like any other.
 */
export function howArgoCdWrites(before: Annotated, after: Annotated): ArgoWrite {
  if (isHook(after)) {
    const policies = hookDeletePolicies(after);
    if (policies.includes('BeforeHookCreation')) {
      return { recreates: true, because: `hook with \`${ANNOTATION_HOOK_DELETE_POLICY}\` ${policies.join(',')}${annotationValues(after, ANNOTATION_HOOK_DELETE_POLICY).length === 0 ? ' (the default)' : ''}: Argo CD deletes the old one before creating it` };
    }
    if (policies.includes('HookSucceeded')) {
      return { recreates: true, because: 'hook with `hook-delete-policy` HookSucceeded: Argo CD deleted it after its last successful run (had that run failed, the live Job would remain and this change be rejected)' };
    }
    // argo-cd@v3.5.1:gitops-engine/pkg/sync/sync_context.go:1031-1037 attaches the live hook, :1438 applies over it.
    return { recreates: false, note: `an Argo CD hook with \`hook-delete-policy\` ${policies.join(',')} is applied over the live one of the same name; only BeforeHookCreation deletes it first` };
  }
  const option = (o: string) => annotationValues(after, ANNOTATION_SYNC_OPTIONS).includes(o) || annotationValues(before, ANNOTATION_SYNC_OPTIONS).includes(o);
  if (option(SYNC_OPTION_REPLACE) && option(SYNC_OPTION_FORCE)) {
    return { recreates: true, because: '`sync-options: Force=true,Replace=true`: Argo CD deletes it and creates it again' };
  }
  if (option(SYNC_OPTION_REPLACE)) {
    return { recreates: false, note: '`Replace=true` alone runs `kubectl replace`, an update the API server rejects the same way; `Force=true,Replace=true` deletes and recreates' };
  }
  return { recreates: false };
}

/** argo-cd@v3.5.1:controller/sync.go:236-246 (the sync option), 421-470 (normalizeTargetResources). */
const SYNC_OPTION_RESPECT_IGNORE_DIFFERENCES = 'RespectIgnoreDifferences=true';

/** Which object an Application's `ignoreDifferences` entry names, and the fields it keeps live. */
interface KeptLive {
  readonly group: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  /** Field paths in `diff`'s notation (`spec.template`), from the entry's `jsonPointers`. */
  readonly fields: readonly string[];
}

interface ApplicationLike {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly spec?: {
    readonly ignoreDifferences?: readonly { group?: string; kind?: string; name?: string; namespace?: string; jsonPointers?: readonly string[] }[];
    readonly syncPolicy?: { readonly syncOptions?: readonly string[] };
  };
}

/**
 * The fields Argo CD applies from the live object instead of the rendered one: an Application with
 * `syncOptions: [RespectIgnoreDifferences=true]` copies the live values of its `ignoreDifferences`
 * fields into what it applies (argo-cd@v3.5.1:controller/sync.go:236-246, 421-470), so a change
 * there never reaches the API server. Only `jsonPointers` are read (this repository renders no
 * jqPathExpressions or managedFieldsManagers).
 */
export function fieldsKeptLive(objects: Iterable<unknown>): readonly KeptLive[] {
  const kept: KeptLive[] = [];
  for (const o of objects) {
    const app = o as ApplicationLike | null;
    if (app?.kind !== 'Application' || !app.apiVersion?.startsWith('argoproj.io/')) continue;
    if (!(app.spec?.syncPolicy?.syncOptions ?? []).includes(SYNC_OPTION_RESPECT_IGNORE_DIFFERENCES)) continue;
    for (const entry of app.spec?.ignoreDifferences ?? []) {
      if (!entry.kind || !entry.jsonPointers?.length) continue;
      kept.push({
        group: entry.group ?? '', kind: entry.kind, name: entry.name, namespace: entry.namespace,
        fields: entry.jsonPointers.map((p) => p.replace(/^\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.')),
      });
    }
  }
  return kept;
}

/** Whether `field` (e.g. `spec.template`) lies within one of `kept`'s fields for this object. */
export function isKeptLive(kept: readonly KeptLive[], id: { apiVersion: string; kind: string; name: string; namespace?: string }, field: string): boolean {
  const group = id.apiVersion.includes('/') ? id.apiVersion.split('/')[0] : '';
  return kept.some((k) => k.group === group && k.kind === id.kind && (k.name === undefined || k.name === id.name)
    && (k.namespace === undefined || k.namespace === id.namespace)
    && k.fields.some((f) => f === '' || field === f || field.startsWith(`${f}.`) || field.startsWith(`${f}[`)));
}
