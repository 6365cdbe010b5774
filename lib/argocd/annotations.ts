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
