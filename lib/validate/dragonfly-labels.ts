import {
  CHECKED_LABEL_FIELDS, DRAGONFLY_OPERATOR_SOURCE, OPERATOR_MANAGED_LABEL_KEYS, operatorLabelError, RUNTIME_LABEL_KEYS,
} from '../catalog/dragonfly-operator';
import { ObjectCheck, objectProblem, ObjectProblem, perObject } from './object-problem';
import { get } from './objects';
import { isDragonfly } from './pods';

/** The label fields that end up on the Dragonfly pods (spec.labels is their deprecated form). */
const POD_LABEL_FIELDS = ['spec.labels', 'spec.podMetadata.labels'];

/**
 * A Dragonfly must not set a label key the operator owns: the operator refuses the whole object and
 * creates no pods, Service, PodDisruptionBudget or NetworkPolicy, and says so only in its own log.
 * Nor may its pod labels set `role`/`master-ip`, which the operator sets on each pod at runtime.
 */
export const dragonflyOperatorLabels: ObjectCheck = perObject((objects) => objects.filter(isDragonfly).flatMap((df) =>
  CHECKED_LABEL_FIELDS.flatMap((field) => {
    const dotted = field.join('.');
    return Object.keys((get(df.object, field) ?? {}) as object).flatMap((key): ObjectProblem[] => {
      if (OPERATOR_MANAGED_LABEL_KEYS.includes(key)) {
        return [objectProblem(df, [...field, key], `"${key}" is a label the Dragonfly operator owns: ${DRAGONFLY_OPERATOR_SOURCE} refuses the object `
          + `(${operatorLabelError(dotted, key)}; internal/resources/resources.go:37-57, 131-149) and creates no StatefulSet, Service, `
          + `PodDisruptionBudget or NetworkPolicy; reserved: ${OPERATOR_MANAGED_LABEL_KEYS.join(', ')}; use a key of your own (e.g. mastodon-cdk8s.io/…)`)];
      }
      if (RUNTIME_LABEL_KEYS.includes(key) && POD_LABEL_FIELDS.includes(dotted)) {
        return [objectProblem(df, [...field, key], `"${key}" is set on each pod by the Dragonfly operator at runtime (internal/controller/dragonfly_instance.go:503-513, 553-554); `
          + 'a template value puts it on every new pod, so the operator\'s Service (role=master) would reach replicas; leave it out')];
      }
      return [];
    });
  })));
