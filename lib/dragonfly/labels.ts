import { RedisRole } from '../config/types';
import { APP_NAME, LABEL_COMPONENT, LABEL_INSTANCE, LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF, MANAGED_BY } from '../mastodon/labels';

/** `app.kubernetes.io/name` of Dragonfly pods (the operator sets the same value). */
export const DRAGONFLY_APP_NAME = 'dragonfly';

/**
 * What selects one role's Dragonfly pods (anti-affinity, network policies). It leaves out
 * `app.kubernetes.io/part-of`, which the operator sets to `dragonfly` on the pods it creates.
 */
export function dragonflySelectorLabels(instance: string, role: RedisRole): Record<string, string> {
  return { [LABEL_NAME]: DRAGONFLY_APP_NAME, [LABEL_INSTANCE]: instance, [LABEL_COMPONENT]: role };
}

/** Labels of a Dragonfly object and of its pods (`spec.podMetadata.labels`). */
export function dragonflyLabels(instance: string, role: RedisRole): Record<string, string> {
  return { ...dragonflySelectorLabels(instance, role), [LABEL_PART_OF]: APP_NAME, [LABEL_MANAGED_BY]: MANAGED_BY };
}
