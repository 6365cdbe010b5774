/**
 * Argo CD's annotations, and the values mastodon-cdk8s puts in them.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
 */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/** Deleting an Application with this finalizer deletes its resources too (cascade). */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** `argocd.argoproj.io/sync-wave` for an object: lower waves sync (and must be healthy) first. */
export function syncWave(wave: number): Record<string, string> {
  return { [SYNC_WAVE_ANNOTATION]: String(wave) };
}

/**
 * Annotations for what holds data (Dragonfly instances, the data chart's Application): Argo CD prunes one that left
 * `dist/`, or deletes it with its Application, only after someone confirms it
 * (`argocd app confirm-deletion <app>`, the UI's "Confirm Pruning", or the annotation
 * `argocd.argoproj.io/deletion-approved: <RFC 3339 time>` on the Application). Until then the sync
 * or the deletion waits. `Prune=false,Delete=false` would instead leave orphans behind for ever.
 * @see https://github.com/argoproj/argo-cd/blob/v3.5.1/docs/user-guide/sync-options.md (lines 37-68, 136-162)
 * @see https://github.com/argoproj/argo-cd/blob/v3.5.1/gitops-engine/pkg/sync/sync_context.go#L1618-L1624 (prune waits)
 * @see https://github.com/argoproj/argo-cd/blob/v3.5.1/controller/appcontroller.go#L1344-L1365 (deletion waits)
 */
export const PRUNE_PROTECTED: Readonly<Record<string, string>> = { [SYNC_OPTIONS_ANNOTATION]: 'Prune=confirm,Delete=confirm' };

/** Leaves a resource out of its Application's health (controller/health.go:40-43 at v3.5.1). */
export const IGNORE_HEALTHCHECK_ANNOTATION = 'argocd.argoproj.io/ignore-healthcheck';

export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';

/**
 * A hook Argo CD deletes and creates anew at every sync (`BeforeHookCreation`, also the default
 * policy: gitops-engine `hook/delete_policy.go:22-24`), so it runs once per sync operation, its
 * retries included. A live hook of the same name is deleted before the new one is created
 * (`sync_task.go:134-136`, `sync_context.go:1650-1681`) instead of being re-applied
 * (`sync_context.go:1439`), so a changed pod template (image, environment) never meets Kubernetes'
 * immutable `spec.template` of a Job. It is not `HookFailed`: a failed sync deletes every
 * `HookFailed` hook that exists, completed ones included (`sync_context.go:625-638, 698-701`).
 * Only for idempotent tasks: it runs at every sync of its Application.
 */
export function recreatedHook(phase: 'PreSync' | 'PostSync', wave: number): Record<string, string> {
  return { [HOOK_ANNOTATION]: phase, [HOOK_DELETE_POLICY_ANNOTATION]: 'BeforeHookCreation', ...syncWave(wave) };
}

/** The in-cluster API server, as Argo CD names the cluster it runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
