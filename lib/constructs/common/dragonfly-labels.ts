import { RedisRole } from '../../catalog/redis';
import { APP_NAME, LABEL_COMPONENT, LABEL_INSTANCE, LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF, MANAGED_BY } from './labels';

/** `app.kubernetes.io/name` of Dragonfly pods, set by the operator (lib/catalog/dragonfly-operator.ts). */
export const DRAGONFLY_APP_NAME = 'dragonfly';

/**
 * Our labels on Dragonfly pods. The operator owns every `app.kubernetes.io/*` key and `app` on the
 * pods it creates and refuses a Dragonfly that sets one in `podMetadata` (lib/catalog/dragonfly-operator.ts), so
 * the instance and the Redis role go under our own prefix.
 */
export const LABEL_DRAGONFLY_INSTANCE = 'mastodon-cdk8s.io/instance';
export const LABEL_REDIS_ROLE = 'mastodon-cdk8s.io/redis-role';

/** The Dragonfly object of a role (and its Service, StatefulSet and pods' `app` label). */
export function dragonflyName(role: RedisRole): string {
  return `dragonfly-${role}`;
}

/** The labels we add to a role's Dragonfly pods (`spec.podMetadata.labels`): none the operator reserves. */
export function dragonflyPodLabels(instanceId: string, role: RedisRole): Record<string, string> {
  return { [LABEL_DRAGONFLY_INSTANCE]: instanceId, [LABEL_REDIS_ROLE]: role };
}

/** What selects every Dragonfly pod of an instance: the operator's `app.kubernetes.io/name` and our instance label. */
export function dragonflyInstanceSelector(instanceId: string): Record<string, string> {
  return { [LABEL_NAME]: DRAGONFLY_APP_NAME, [LABEL_DRAGONFLY_INSTANCE]: instanceId };
}

/** What selects one role's Dragonfly pods, master and replicas alike (anti-affinity, network policies). */
export function dragonflySelectorLabels(instanceId: string, role: RedisRole): Record<string, string> {
  return { ...dragonflyInstanceSelector(instanceId), [LABEL_REDIS_ROLE]: role };
}

/**
 * Labels of the Dragonfly object itself. The operator copies a Dragonfly's `metadata.labels`
 * nowhere, so the CR keeps the semantic `app.kubernetes.io/*` labels of everything we render.
 */
export function dragonflyObjectLabels(instanceId: string, role: RedisRole): Record<string, string> {
  return { [LABEL_NAME]: DRAGONFLY_APP_NAME, [LABEL_INSTANCE]: instanceId, [LABEL_COMPONENT]: role, [LABEL_PART_OF]: APP_NAME, [LABEL_MANAGED_BY]: MANAGED_BY };
}
