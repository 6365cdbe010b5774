/**
 * What the Dragonfly operator v1.6.1 does with a `Dragonfly` object, read in its source at the
 * pinned tag (dragonflydb/dragonfly-operator@v1.6.1 = b28637d). The constructs, `validate` and the
 * contract tests (test/contracts/) all rely on these facts; nothing here is our own choice.
 */

/** The Dragonfly operator release the facts below were read at. */
export const DRAGONFLY_OPERATOR_SOURCE = 'dragonflydb/dragonfly-operator@v1.6.1';

/**
 * Label keys the operator owns (`operatorManagedLabels`, internal/resources/resources.go:37-48,
 * keys from internal/resources/const.go:68-88). `checkLabels` (resources.go:50-57) refuses any of
 * them in `spec.labels`, `spec.podMetadata.labels`, `spec.ownedObjectsMetadata.labels` and
 * `spec.serviceSpec.labels` (resources.go:132-149), and `GenerateDragonflyResources` then returns
 * the error and generates nothing: no StatefulSet, Service, PodDisruptionBudget or NetworkPolicy.
 * The controller drops the cause (`failed to generate dragonfly resources`,
 * internal/controller/dragonfly_instance.go:620-623), so nothing on the cluster names the key.
 */
export const OPERATOR_MANAGED_LABEL_KEYS: readonly string[] = [
  'app.kubernetes.io/component',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/name',
  'app.kubernetes.io/version',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
  'app',
];

/** The fields of a Dragonfly spec whose labels `checkLabels` inspects (resources.go:132-149). */
export const CHECKED_LABEL_FIELDS: readonly (readonly string[])[] = [
  ['spec', 'labels'],
  ['spec', 'podMetadata', 'labels'],
  ['spec', 'ownedObjectsMetadata', 'labels'],
  ['spec', 'serviceSpec', 'labels'],
];

/** The error the operator raises for a reserved key (resources.go:53). */
export function operatorLabelError(field: string, key: string): string {
  return `${field}: cannot override operator-managed label "${key}"`;
}

/** `role` (const.go:92), set on each pod at runtime by the controller. */
export const ROLE_LABEL_KEY = 'role';
/** The master's role value (const.go:94; dragonfly_instance.go:553, 1144). */
export const ROLE_MASTER = 'master';
/** A replica's role value (const.go:96; dragonfly_instance.go:503). */
export const ROLE_REPLICA = 'replica';
/** Set on replicas (IPv4 masters only) "for compatibility" and removed on promotion (const.go:87; dragonfly_instance.go:509-513, 554). */
export const MASTER_IP_LABEL_KEY = 'master-ip';
/**
 * Labels the controller patches onto running pods (and deletes: `deleteRoleLabel`,
 * dragonfly_instance.go:945-950). Not refused by `checkLabels`, but a template value would put
 * `role: master` on every new pod, so the operator's Service (selecting `role: master`) would
 * send clients to replicas until the controller relabels them.
 */
export const RUNTIME_LABEL_KEYS: readonly string[] = [ROLE_LABEL_KEY, MASTER_IP_LABEL_KEY];

/**
 * The labels of every pod of the Dragonfly named `name`, before any role: the StatefulSet's pod
 * template (resources.go:192-198: `app: <name>`, `app.kubernetes.io/part-of: dragonfly`,
 * `app.kubernetes.io/name: dragonfly`, constants const.go:69, 85, 88), plus the deprecated
 * `spec.labels` and then `spec.podMetadata.labels` copied over them (resources.go:446-457). The
 * CR's own `metadata.labels` are copied nowhere.
 */
export function dragonflyPodTemplateLabels(name: string, specLabels: Readonly<Record<string, string>> = {}, podMetadataLabels: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { app: name, 'app.kubernetes.io/part-of': 'dragonfly', 'app.kubernetes.io/name': 'dragonfly', ...specLabels, ...podMetadataLabels };
}

/**
 * The label sets of the pods that will run for a Dragonfly with `replicas` pods: one master and,
 * from two replicas on, replicas (`role` as the controller sets it). The operator's Service
 * selects `app`, `app.kubernetes.io/name` and `role: master` (resources.go:593-598); its
 * PodDisruptionBudget (only when replicas > 1, resources.go:662-664) and NetworkPolicy select
 * `app`, `…/part-of` and `…/name` (resources.go:639-646, 681-685, 763-766).
 */
export function dragonflyPodLabelSets(templateLabels: Readonly<Record<string, string>>, replicas: number): Record<string, string>[] {
  const roles = replicas > 1 ? [ROLE_MASTER, ROLE_REPLICA] : replicas === 1 ? [ROLE_MASTER] : [];
  return roles.map((role) => ({ ...templateLabels, [ROLE_LABEL_KEY]: role }));
}

/** The container ports of a Dragonfly pod: `redis` 6379 and `admin` 9999 (const.go:23-30, resources.go:207-216). */
export const DRAGONFLY_CONTAINER_PORTS: Readonly<Record<string, number>> = { redis: 6379, admin: 9999 };

