import type { Static, TSchema } from '@sinclair/typebox';
import type { ConfigProblem } from '../core/errors';
import type { definitions as instanceDefinitions, InstanceSchema, operatorId } from './schema/instance';
import type { DeepReadonly } from './schema/kit';
import type { QueuePlanSchema } from './schema/queue-plan';
import type { ClusterSchema } from './schema/cluster';
import type { ConfigSource } from '../core/source';

/**
 * The typed shape of an instance's configuration, after loading and validation: the types of the
 * schemas in ./schema/ (`config/<instance>/instance.yaml` and `queue-plan.yaml`), the same source
 * as the JSON Schemas in ./schemas/ that validate them, so the two cannot drift. Each setting's
 * description and default are in the schema. Everything here is a non-secret value: secrets are
 * only ever referenced by Secret name and key. Type-only imports: TypeBox is not loaded at run time.
 */
type From<T extends TSchema> = DeepReadonly<Static<T>>;
type Defined<T, K extends keyof T> = NonNullable<T[K]>;
type Definition<K extends keyof typeof instanceDefinitions> = From<(typeof instanceDefinitions)[K]>;

export type InstanceConfig = From<typeof InstanceSchema>;

/** A key in a Kubernetes Secret that must exist in the instance's namespace. */
export type SecretKeyRef = Definition<'secretKeyRef'>;
/** A PEM file in the instance's namespace: one key of a ConfigMap or of a Secret (exactly one of the two). */
export type FileRef = Definition<'fileRef'>;
/** CPU and memory as Kubernetes quantities (`500m`, `1.5Gi`). */
export type ResourceQuantities = Definition<'resourceQuantities'>;
/** Container resources; any field left out is derived by lib/sizing. */
export type ResourcesConfig = Definition<'resources'>;

export type MastodonConfig = InstanceConfig['mastodon'];
export type WebConfig = Defined<InstanceConfig, 'web'>;
export type StreamingConfig = Defined<InstanceConfig, 'streaming'>;
/** A HorizontalPodAutoscaler on CPU for web or streaming (opt-in). */
export type AutoscalingConfig = Definition<'autoscaling'>;

export type DatabaseConfig = InstanceConfig['database'];
/** The limits of the connection budget; at least one is required (see lib/sizing/connection-budget.ts). */
export type DatabaseBudgetConfig = Pick<DatabaseConfig['pool'], 'size' | 'planMemoryGiB'>;

/** @default a Dragonfly per role */
export type RedisConfig = Defined<InstanceConfig, 'redis'>;
/** The three Redis roles of Mastodon: REDIS_URL, SIDEKIQ_REDIS_URL and CACHE_REDIS_URL. */
export type RedisRole = keyof RedisConfig;
/** One Redis role: a Dragonfly managed here (the default) or an external server. */
export type RedisRoleConfig = Definition<'redisRole'>;
/** A Dragonfly run by the Dragonfly operator in the instance namespace. */
export type DragonflyConfig = Definition<'dragonfly'>;
/** Snapshots of a Dragonfly to a volume per pod (`spec.snapshot`). */
export type DragonflySnapshotConfig = Defined<DragonflyConfig, 'snapshot'>;
/** A Redis-compatible server run elsewhere, e.g. DigitalOcean managed Valkey. */
export type ExternalRedisConfig = Definition<'externalRedis'>;

export type S3StorageConfig = InstanceConfig['storage']['s3'];

export type SmtpConfig = Defined<InstanceConfig, 'smtp'>;
/** One SMTP server and how to reach it (SMTP_* or BULK_SMTP_*). */
export type SmtpEndpointConfig = Omit<Defined<SmtpConfig, 'bulk'>, 'fromAddress'>;

export type SearchConfig = Defined<InstanceConfig, 'search'>;
export type SearchDeployConfig = Defined<SearchConfig, 'deploy'>;
/** Post translation: one service. */
export type TranslationConfig = Defined<InstanceConfig, 'translation'>;
/** A captcha on the sign-up confirmation page. */
export type CaptchaConfig = Defined<InstanceConfig, 'captcha'>;

/** Backups as CronJobs: database dumps and a media copy, encrypted client-side, into one bucket. */
export type BackupsConfig = Defined<InstanceConfig, 'backups'>;
export type BackupDestinationConfig = BackupsConfig['destination'];
export type DatabaseBackupConfig = Defined<BackupsConfig, 'database'>;
export type MediaBackupConfig = Defined<BackupsConfig, 'media'>;

/** The Secret holding Mastodon's own keys, one key per environment variable name, and how Secrets reach the cluster. */
export type AppSecretsConfig = Defined<InstanceConfig, 'secrets'>;
/** How the instance's Secrets reach the cluster (`secrets.delivery`). */
export type SecretDelivery = Defined<AppSecretsConfig, 'delivery'>;
/** `secrets.externalSecrets`: the store ExternalSecrets read from. */
export type ExternalSecretsConfig = Defined<AppSecretsConfig, 'externalSecrets'>;

/** A source allowed through the instance's NetworkPolicies: pods of a namespace, or a CIDR block. */
export type NetworkPeerConfig = Definition<'networkPeer'>;
/** The instance namespace's NetworkPolicies (ingress is always denied by default). */
export type NetworkPolicyConfig = Definition<'networkPolicy'>;

/** A cluster-wide operator an instance can install through Argo CD (see lib/catalog/operators.ts). */
export type OperatorId = Static<typeof operatorId>;
/** Argo CD delivery of the instance: the app-of-apps rendered into `dist/<instance>/argocd/`. */
export type ArgoCdConfig = InstanceConfig['argocd'];

/** How traffic reaches web and streaming, and the certificate it is served with. */
export type EdgeConfig = Defined<InstanceConfig, 'edge'>;
/** Let's Encrypt's two environments; each gets a ClusterIssuer. */
export type AcmeEnvironment = Defined<Defined<EdgeConfig, 'tls'>, 'issuer'>;
/** The ClusterIssuers for Let's Encrypt staging and production. */
export type CertManagerConfig = Defined<InstanceConfig, 'certManager'>;

export type QueuePlan = From<typeof QueuePlanSchema>;
export type SidekiqPoolConfig = QueuePlan['pools'][string];
/** A weighted queue map (`{default: 8, push: 6}`) or a strict-priority list (`[default, push]`). */
export type QueueSpec = SidekiqPoolConfig['queues'];
/**
 * A KEDA ScaledObject for one pool, scaling between `replicas` and `maxReplicas` pods on the length
 * of its queues in the Sidekiq Redis (lib/constructs/autoscaling/). The connection budget counts `maxReplicas`.
 */
export type SidekiqAutoscalingConfig = Defined<SidekiqPoolConfig, 'autoscaling'>;

/** One instance as loaded from `config/<instance>/`. */
export interface LoadedInstance {
  /** The parsed files (instance.yaml over the shared defaults), for checks that point at file:line:col. */
  readonly sources: { readonly instance: ConfigSource; readonly queuePlan: ConfigSource };
  /** The instance id: the folder name under config/, `dist/<id>/`, `app.kubernetes.io/instance`. */
  readonly id: string;
  readonly dir: string;
  readonly instance: InstanceConfig;
  readonly queuePlan: QueuePlan;
  /** Problems found while loading that do not stop the render. */
  readonly warnings: readonly ConfigProblem[];
  /** The cluster file `argocd.cluster` selects, when there is one (config/clusters/<cluster>.yaml). @default none: the instance installs its operators itself */
  readonly cluster?: LoadedCluster;
}

/** `config/clusters/<cluster>.yaml`: a cluster and the operators installed into it once. */
export type ClusterConfig = From<typeof ClusterSchema>;

/** A cluster file, read and past its schema. */
export interface LoadedCluster {
  /** The file name without `.yaml`: `argocd.cluster` of its instances, `dist/clusters/<name>/`. */
  readonly name: string;
  readonly source: ConfigSource;
  readonly config: ClusterConfig;
}
