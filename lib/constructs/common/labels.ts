/**
 * Labels are a contract: selectors use only the semantic `app.kubernetes.io/*` labels below (plus
 * the Sidekiq pool), never anything derived from construct paths, so that a refactor of the code
 * never changes an immutable Deployment selector.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_VERSION = 'app.kubernetes.io/version';
/** The Sidekiq pool of a pod (queue-plan pool name). */
export const LABEL_SIDEKIQ_POOL = 'mastodon-cdk8s.io/sidekiq-pool';
/** The progressive-rollout group of an instance's root Application (the ApplicationSet's RollingSync steps select by it). */
export const LABEL_ROLLOUT_GROUP = 'mastodon-cdk8s.io/rollout-group';

export const APP_NAME = 'mastodon';
export const MANAGED_BY = 'mastodon-cdk8s';

export type Component = 'web' | 'streaming' | 'sidekiq' | 'config' | 'job' | 'edge' | 'network' | 'argocd' | 'backup' | 'monitoring' | 'secrets';

/** What selects a component's pods. */
export function selectorLabels(instanceId: string, component: Component, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { [LABEL_NAME]: APP_NAME, [LABEL_INSTANCE]: instanceId, [LABEL_COMPONENT]: component, ...extra };
}

/** Labels on an object's metadata: the selector labels plus ownership. */
export function objectLabels(instanceId: string, component: Component, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...selectorLabels(instanceId, component, extra), [LABEL_PART_OF]: APP_NAME, [LABEL_MANAGED_BY]: MANAGED_BY };
}
