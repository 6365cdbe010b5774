import type { ConfigProblem } from './errors';
import type { YamlSource } from './source';

/**
 * The typed shape of an instance's configuration, after loading and validation.
 *
 * `config/<instance>/instance.yaml` is described by `lib/config/schemas/instance.schema.json` and
 * `queue-plan.yaml` by `queue-plan.schema.json`; these interfaces mirror those schemas. Everything
 * here is a non-secret value: secrets are only ever referenced by Secret name and key.
 */

/** A key in a Kubernetes Secret that must exist in the instance's namespace. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** CPU and memory as Kubernetes quantities (`500m`, `1.5Gi`). */
export interface ResourceQuantities {
  readonly cpu?: string;
  readonly memory?: string;
}

/** Container resources; any field left out is derived by lib/sizing. */
export interface ResourcesConfig {
  readonly requests?: ResourceQuantities;
  readonly limits?: ResourceQuantities;
}

export interface MastodonConfig {
  /** Image tag of ghcr.io/mastodon/mastodon and mastodon-streaming, e.g. `v4.7.2`. */
  readonly version: string;
  readonly localDomain: string;
  /** @default localDomain */
  readonly webDomain?: string;
  /** @default [] */
  readonly alternateDomains?: readonly string[];
  /** @default false */
  readonly singleUserMode?: boolean;
  /** @default false */
  readonly authorizedFetch?: boolean;
  /** @default false */
  readonly limitedFederationMode?: boolean;
  /** RAILS_LOG_LEVEL and the streaming LOG_LEVEL. @default 'warn' */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** @default 'en' */
  readonly defaultLocale?: string;
  /** Other non-secret environment variables, passed through to every Mastodon process. @default {} */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

export interface WebConfig {
  /** @default 2 */
  readonly replicas?: number;
  /** Puma worker processes per pod (WEB_CONCURRENCY). @default 2 */
  readonly workers?: number;
  /** Puma threads per worker (MAX_THREADS). @default 5 */
  readonly threads?: number;
  readonly resources?: ResourcesConfig;
}

export interface StreamingConfig {
  /** @default 2 */
  readonly replicas?: number;
  /** PostgreSQL connections per streaming pod (DB_POOL). @default 10 */
  readonly dbPool?: number;
  readonly resources?: ResourcesConfig;
}

/** The limits of the connection budget; at least one is required (see lib/sizing/connection-budget.ts). */
export interface DatabaseBudgetConfig {
  /** The PgBouncer pool's size: the connections Mastodon's processes may open through it. */
  readonly size?: number;
  /**
   * The DigitalOcean plan's RAM in GiB: the cluster gives 25 connections per GiB minus 3 reserved.
   * Without `size`, the pool is taken to be that less the direct connections of migrations.
   */
  readonly planMemoryGiB?: number;
}

export interface DatabaseConfig {
  readonly host: string;
  readonly user: string;
  readonly password: SecretKeyRef;
  /** @default 'require' */
  readonly sslmode?: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  /** The PgBouncer connection pool every Mastodon process uses. */
  readonly pool: {
    /** @default 25061 */
    readonly port?: number;
    /** The pool's name, which PgBouncer exposes as the database name. */
    readonly name: string;
  } & DatabaseBudgetConfig;
  /** The direct connection, for migrations (PgBouncer transaction mode cannot run them). */
  readonly direct: {
    /** @default 25060 */
    readonly port?: number;
    /** The real database name. */
    readonly name: string;
  };
  /** Must be false behind PgBouncer in transaction mode. @default false */
  readonly preparedStatements?: boolean;
}

/** The three Redis roles of Mastodon: REDIS_URL, SIDEKIQ_REDIS_URL and CACHE_REDIS_URL. */
export type RedisRole = 'mastodon' | 'sidekiq' | 'cache';

/** A Redis-compatible server run elsewhere, e.g. DigitalOcean managed Valkey. */
export interface ExternalRedisConfig {
  readonly host: string;
  /** @default 6379 */
  readonly port?: number;
  /** Logical database number. @default 0 */
  readonly db?: number;
  /** @default no password */
  readonly password?: SecretKeyRef;
  /** Use TLS (`rediss://`), which needs REDIS_DRIVER=ruby. @default false */
  readonly tls?: boolean;
}

/** Snapshots of a Dragonfly to a volume per pod (`spec.snapshot`). */
export interface DragonflySnapshotConfig {
  /** @default true for the mastodon and sidekiq roles, false for cache */
  readonly enabled?: boolean;
  /** @default every 5 minutes */
  readonly cron?: string;
  /** Volume size. @default twice the memory limit (room for the new file beside the old) */
  readonly size?: string;
  /** @default 'do-block-storage' */
  readonly storageClassName?: string;
}

/** A Dragonfly run by the Dragonfly operator in the instance namespace. */
export interface DragonflyConfig {
  /** Pods, master included. @default 2 */
  readonly replicas?: number;
  /** @default the pinned image in lib/dragonfly/defaults.ts */
  readonly image?: string;
  /** Dragonfly sizes its threads from the CPU limit and maxmemory from the memory limit. @default by role */
  readonly resources?: ResourcesConfig;
  /** @default `{name: dragonfly-auth, key: password}` */
  readonly password?: SecretKeyRef;
  /** @default by role */
  readonly snapshot?: DragonflySnapshotConfig;
  /** Extra server flags, after the role's own. @default [] */
  readonly args?: readonly string[];
}

/** One Redis role: a Dragonfly managed here (the default) or an external server. */
export interface RedisRoleConfig {
  /** @default a Dragonfly with the role's defaults, unless `external` is set */
  readonly dragonfly?: DragonflyConfig;
  readonly external?: ExternalRedisConfig;
}

/** @default a Dragonfly per role */
export type RedisConfig = Readonly<Partial<Record<RedisRole, RedisRoleConfig>>>;

export interface S3StorageConfig {
  readonly bucket: string;
  /** e.g. `nyc3` for DigitalOcean Spaces. */
  readonly region: string;
  /** e.g. `https://nyc3.digitaloceanspaces.com`. */
  readonly endpoint: string;
  /** @default the endpoint's host name */
  readonly hostname?: string;
  /** The CDN host that serves media (S3_ALIAS_HOST). @default none: media served from the bucket */
  readonly aliasHost?: string;
  /** @default 'public-read' */
  readonly permission?: string;
  readonly accessKeyId: SecretKeyRef;
  readonly secretAccessKey: SecretKeyRef;
}

export interface SmtpConfig {
  readonly server: string;
  /** @default 587 */
  readonly port?: number;
  readonly fromAddress: string;
  readonly login: SecretKeyRef;
  readonly password: SecretKeyRef;
  /** @default 'plain' */
  readonly authMethod?: 'plain' | 'login' | 'cram_md5' | 'none';
  /** @default 'always' */
  readonly enableStarttls?: 'auto' | 'always' | 'never';
  /** @default 'none' */
  readonly opensslVerifyMode?: 'none' | 'peer';
}

export interface SearchConfig {
  /** `https://…` turns TLS on. */
  readonly host: string;
  /** @default 9200 */
  readonly port?: number;
  /** @default 'single_node_cluster' */
  readonly preset?: 'single_node_cluster' | 'small_cluster' | 'large_cluster';
  /** @default no authentication */
  readonly user?: string;
  /** @default no authentication */
  readonly password?: SecretKeyRef;
  /** @default no prefix */
  readonly prefix?: string;
}

/** The Secret holding Mastodon's own keys, one key per environment variable name. */
export interface AppSecretsConfig {
  /** @default 'mastodon-secrets' */
  readonly name?: string;
}

export interface InstanceConfig {
  /** The namespace everything of this instance runs in (one namespace per instance). */
  readonly namespace: string;
  readonly mastodon: MastodonConfig;
  readonly web?: WebConfig;
  readonly streaming?: StreamingConfig;
  readonly database: DatabaseConfig;
  readonly redis?: RedisConfig;
  readonly storage?: { readonly s3?: S3StorageConfig };
  readonly smtp?: SmtpConfig;
  readonly search?: SearchConfig;
  readonly secrets?: AppSecretsConfig;
  /** @default no Ingress or Gateway (bring your own) */
  readonly edge?: EdgeConfig;
  /** @default no ClusterIssuers */
  readonly certManager?: CertManagerConfig;
}

/** Let's Encrypt's two environments; each gets a ClusterIssuer. */
export type AcmeEnvironment = 'staging' | 'production';

/** How traffic reaches web and streaming, and the certificate it is served with. */
export interface EdgeConfig {
  /** `ingress` (ingress-nginx) or `gateway` (Gateway API, e.g. DOKS's managed Cilium Gateway). */
  readonly kind: 'ingress' | 'gateway';
  /** The IngressClass or GatewayClass. @default 'nginx' (ingress) or 'cilium' (gateway) */
  readonly className?: string;
  /** A host of its own for the streaming API (STREAMING_API_BASE_URL). @default only the web domain's /api/v1/streaming */
  readonly streamingDomain?: string;
  /** TRUSTED_PROXY_IP: addresses or CIDRs whose X-Forwarded-For Mastodon trusts. @default Mastodon's (loopback and private ranges) */
  readonly trustedProxyIps?: readonly string[];
  readonly tls?: {
    /** Which Let's Encrypt ClusterIssuer signs the certificate. @default 'production' */
    readonly issuer?: AcmeEnvironment;
    /** The Secret cert-manager writes the certificate to. @default '<instance>-tls' */
    readonly secretName?: string;
  };
  /** Annotations for the load balancer Service the Gateway gets (gateway only). @default none */
  readonly loadBalancerAnnotations?: Readonly<Record<string, string>>;
}

/** The ClusterIssuers for Let's Encrypt staging and production. */
export interface CertManagerConfig {
  /** The ACME account's e-mail address. */
  readonly email: string;
  /** `http01` through the edge, or `dns01` with DigitalOcean DNS. @default 'http01' */
  readonly solver?: 'http01' | 'dns01';
  /** DigitalOcean API token with DNS write access, in cert-manager's namespace (dns01 only). */
  readonly digitalOceanToken?: SecretKeyRef;
  /** Skip cert-manager's self-check and wait this long instead (e.g. `30s`; the DO hairpin). @default self-check */
  readonly waitInsteadOfSelfCheck?: string;
  /** Secrets in cert-manager's namespace holding the ACME account keys. @default 'letsencrypt-<environment>-<instance>-account-key' */
  readonly accountKeySecrets?: Readonly<Partial<Record<AcmeEnvironment, string>>>;
}

/** A weighted queue map (`{default: 8, push: 6}`) or a strict-priority list (`[default, push]`). */
export type QueueSpec = Readonly<Record<string, number>> | readonly string[];

export interface SidekiqPoolConfig {
  /** Sidekiq concurrency (`-c`); DB_POOL follows it. */
  readonly threads: number;
  /** Pods; with `autoscaling`, the fewest pods the autoscaler keeps. */
  readonly replicas: number;
  readonly queues: QueueSpec;
  readonly resources?: ResourcesConfig;
  /** Scale the pool on its queues' backlog with KEDA. @default a fixed number of pods */
  readonly autoscaling?: SidekiqAutoscalingConfig;
}

/**
 * A KEDA ScaledObject for one pool, scaling between `replicas` and `maxReplicas` pods on the length
 * of its queues in the Sidekiq Redis (lib/autoscaling/). The connection budget counts `maxReplicas`.
 */
export interface SidekiqAutoscalingConfig {
  /** The most pods; more than the pool's `replicas`. */
  readonly maxReplicas: number;
  /** Jobs waiting in a queue per pod before another pod is added. @default threads × SIDEKIQ_AUTOSCALING.backlogPerThread */
  readonly backlogPerReplica?: number;
  /** How often KEDA reads the queue lengths. @default SIDEKIQ_AUTOSCALING.pollingIntervalSeconds */
  readonly pollingIntervalSeconds?: number;
}

export interface QueuePlan {
  readonly pools: Readonly<Record<string, SidekiqPoolConfig>>;
  /** Queues of your own jobs (not Mastodon's); each must be consumed by a pool. @default [] */
  readonly customQueues?: readonly string[];
}

/** One instance as loaded from `config/<instance>/`. */
export interface LoadedInstance {
  /** The parsed files, for checks that point at file:line:col. */
  readonly sources: { readonly instance: YamlSource; readonly queuePlan: YamlSource };
  /** The instance id: the folder name under config/, `dist/<id>/`, `app.kubernetes.io/instance`. */
  readonly id: string;
  readonly dir: string;
  readonly instance: InstanceConfig;
  readonly queuePlan: QueuePlan;
  /** Problems found while loading that do not stop the render. */
  readonly warnings: readonly ConfigProblem[];
}
