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
 * Annotations for objects that hold data (Dragonfly instances, PersistentVolumeClaims): Argo CD
 * neither prunes them when they disappear from `dist/` nor deletes them with their Application.
 * Removing one then takes a deliberate `kubectl delete`.
 */
export const PRUNE_PROTECTED: Readonly<Record<string, string>> = { [SYNC_OPTIONS_ANNOTATION]: 'Prune=false,Delete=false' };

export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';

/**
 * A hook that runs once per name. Argo CD considers hooks at every sync, but a named hook that
 * already exists "will not change unless you have annotated it with before-hook-creation": with
 * HookFailed, a hook that completed stays and does not run again, and one that failed is deleted
 * and retried at the next sync. So name it for what must trigger a new run (the Mastodon version).
 * BeforeHookCreation (the default policy) would delete and re-run it at every sync: every config
 * change and every self-heal (argoproj/argo-cd#3837).
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 */
export function runOncePerNameHook(phase: 'PreSync' | 'PostSync', wave: number): Record<string, string> {
  return { [HOOK_ANNOTATION]: phase, [HOOK_DELETE_POLICY_ANNOTATION]: 'HookFailed', ...syncWave(wave) };
}
