import { InClusterPassword, IN_CLUSTER_PASSWORDS } from '../catalog/external-secrets';
import { RedisRole, REDIS_ROLES } from '../catalog/redis';
import { InstanceConfig, SecretDelivery } from '../config/types';
import { RequiredSecret, SecretKeyRef } from '../core/env';
import { DEFAULTS, Defaults, DERIVED } from './defaults';
import { RedisRoleModel } from './dragonfly';

/** `secrets.externalSecrets`, resolved: where the ExternalSecrets read from. */
export interface ExternalSecretsSettings {
  readonly store: { readonly kind: 'SecretStore' | 'ClusterSecretStore'; readonly name: string };
  /** A Secret's values are at `<remoteKeyPrefix>/<Secret>` in the store, one property per key. */
  readonly remoteKeyPrefix: string;
  /** How often store-backed values are read again. */
  readonly refreshInterval: string;
}

/** A Secret key whose value the delivery generates in the cluster (never seen outside it). */
export interface InClusterKey extends SecretKeyRef {
  readonly password: InClusterPassword;
}

/** The `secrets` section of instance.yaml, every default resolved. */
export interface SecretsSettings {
  readonly delivery: SecretDelivery;
  /** The Secret holding Mastodon's own keys. */
  readonly appSecretName: string;
  /** Secrets made by other means: listed in SECRETS.md, never delivered. */
  readonly external: readonly string[];
  /** @default none: only with `delivery: external-secrets` */
  readonly externalSecrets?: ExternalSecretsSettings;
  /** The keys generated in the cluster (external-secrets only): SECRET_KEY_BASE and each rendered Dragonfly's password. */
  readonly inCluster: readonly InClusterKey[];
}

/** What reads a Secret key: an environment variable (or a file, an issuer) and what for. */
export interface SecretReader {
  readonly as: string;
  readonly purpose: string;
}

/** One key of a required Secret. */
export interface SecretKeySpec {
  readonly key: string;
  /** What it is (the first reader's purpose). */
  readonly purpose: string;
  /** Everything that reads it, in first-seen order. */
  readonly readBy: readonly SecretReader[];
  /** Its value is a file (a PEM bundle). */
  readonly file: boolean;
  /** @default none: the value comes from outside the cluster (store, sealed file, a person) */
  readonly generatedInCluster?: InClusterPassword;
}

/** A Secret the instance reads, with every key it needs. */
export interface SecretSpec {
  readonly namespace: string;
  readonly name: string;
  readonly keys: readonly SecretKeySpec[];
  /** Made by other means (`secrets.external`): listed in SECRETS.md, the delivery renders nothing for it. */
  readonly external: boolean;
}

/** Every Secret an instance needs and how they are delivered: the one list SECRETS.md, the delivery charts and the checks read. */
export interface ResolvedSecrets {
  readonly settings: SecretsSettings;
  /** Sorted by namespace, then name; keys in first-seen order. */
  readonly secrets: readonly SecretSpec[];
}

/** The passwords of the Dragonflies rendered here (external Redis servers keep theirs). */
function dragonflyPasswords(redis: Readonly<Record<RedisRole, RedisRoleModel>>): SecretKeyRef[] {
  return REDIS_ROLES.flatMap(({ role }) => {
    const served = redis[role];
    return 'dragonfly' in served ? [served.dragonfly.password] : [];
  });
}

/** Resolves the `secrets` section: the delivery and, for external-secrets, the store and what is generated in the cluster. */
/** The Secret holding Mastodon's own keys (`secrets.name`). */
export function appSecretName(instance: InstanceConfig, d: Defaults = DEFAULTS): string {
  return instance.secrets?.name ?? d.appSecretName;
}

export function secretsSettings(
  instanceId: string,
  instance: InstanceConfig,
  redis: Readonly<Record<RedisRole, RedisRoleModel>>,
  d: Defaults = DEFAULTS,
): SecretsSettings {
  const config = instance.secrets ?? {};
  const delivery = config.delivery ?? d.secrets.delivery;
  const external = config.external ?? [];
  const appSecret = appSecretName(instance, d);
  if (delivery !== 'external-secrets') return { delivery, appSecretName: appSecret, external, inCluster: [] };
  const es = config.externalSecrets;
  // lib/checks/secrets-delivery.ts refuses external-secrets without a store, before the model.
  if (!es) throw new Error('secrets.externalSecrets.store is required with delivery external-secrets');
  const candidates: InClusterKey[] = [
    { name: appSecret, key: 'SECRET_KEY_BASE', password: IN_CLUSTER_PASSWORDS.secretKeyBase },
    ...dragonflyPasswords(redis).map((ref) => ({ ...ref, password: IN_CLUSTER_PASSWORDS.dragonflyPassword })),
  ];
  const seen = new Set<string>();
  const inCluster = candidates.filter((c) => {
    const id = `${c.name}/${c.key}`;
    if (external.includes(c.name) || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return {
    delivery,
    appSecretName: appSecret,
    external,
    externalSecrets: {
      store: es.store,
      remoteKeyPrefix: es.remoteKeyPrefix ?? DERIVED.remoteKeyPrefix(instanceId),
      refreshInterval: es.refreshInterval ?? d.secrets.externalSecrets.refreshInterval,
    },
    inCluster,
  };
}

/**
 * Groups the references the rendered objects make (each construct declares the Secret keys it
 * reads) into Secrets with their keys, marks what is external and what the delivery generates in
 * the cluster.
 */
export function resolveSecrets(settings: SecretsSettings, namespace: string, references: readonly RequiredSecret[]): ResolvedSecrets {
  type Collected = { namespace: string; name: string; keys: Map<string, { readBy: SecretReader[]; file: boolean }> };
  const byId = new Map<string, Collected>();
  for (const ref of references) {
    const ns = ref.namespace ?? namespace;
    const id = `${ns}/${ref.name}`;
    const secret: Collected = byId.get(id) ?? { namespace: ns, name: ref.name, keys: new Map() };
    byId.set(id, secret);
    const key = secret.keys.get(ref.key) ?? { readBy: [], file: false };
    secret.keys.set(ref.key, key);
    if (!key.readBy.some((r) => r.as === ref.envVar)) key.readBy.push({ as: ref.envVar, purpose: ref.purpose });
    key.file ||= ref.file === true;
  }
  const generated = (ns: string, name: string, key: string) =>
    ns === namespace ? settings.inCluster.find((k) => k.name === name && k.key === key)?.password : undefined;
  const secrets = [...byId.values()]
    .sort((a, b) => compare(a.namespace, b.namespace) || compare(a.name, b.name))
    .map((s): SecretSpec => ({
      namespace: s.namespace,
      name: s.name,
      external: settings.external.includes(s.name),
      keys: [...s.keys.entries()].map(([key, { readBy, file }]) => {
        const password = generated(s.namespace, s.name, key);
        return { key, purpose: readBy[0].purpose, readBy, file, ...(password ? { generatedInCluster: password } : {}) };
      }),
    }));
  return { settings, secrets };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where a Secret's values are in the external-secrets store: `<remoteKeyPrefix>/<Secret>`, one property per key. */
export function remoteKeyOf(eso: ExternalSecretsSettings, secretName: string): string {
  return `${eso.remoteKeyPrefix}/${secretName}`;
}

/** The `Password` generator of a Secret key: `<Secret>-<key>` as a DNS subdomain (SECRET_KEY_BASE → secret-key-base). */
export function generatorName(secretName: string, key: string): string {
  return `${secretName}-${key.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`;
}

/** Which Secrets the external-secrets delivery makes, and where; the rest a person creates. */
export interface ExternalSecretsPlan {
  /** In the instance namespace: by the instance's `secrets` chart. */
  readonly inNamespace: readonly SecretSpec[];
  /**
   * In other namespaces (the DNS-01 token in cert-manager's): by the platform project's
   * `platform-secrets` chart, only from a ClusterSecretStore (a SecretStore serves its own namespace).
   */
  readonly elsewhere: readonly SecretSpec[];
  /** Neither: created by hand (SECRETS.md keeps its kubectl line). */
  readonly byHand: readonly SecretSpec[];
}

/** How `delivery: external-secrets` covers the instance's Secrets (none when another delivery is chosen). */
export function externalSecretsPlan(resolved: ResolvedSecrets, namespace: string): ExternalSecretsPlan {
  const eso = resolved.settings.delivery === 'external-secrets' ? resolved.settings.externalSecrets : undefined;
  const made = resolved.secrets.filter((s) => !s.external);
  if (!eso) return { inNamespace: [], elsewhere: [], byHand: made };
  const others = made.filter((s) => s.namespace !== namespace);
  const cluster = eso.store.kind === 'ClusterSecretStore';
  return { inNamespace: made.filter((s) => s.namespace === namespace), elsewhere: cluster ? others : [], byHand: cluster ? [] : others };
}
