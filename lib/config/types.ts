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

/** The size of the PgBouncer pool (or the whole cluster's connection budget). */
export interface DatabaseBudgetConfig {
  /** Client connections the pool admits. */
  readonly size?: number;
  /** A DigitalOcean plan's RAM in GiB; the budget is 25 connections per GiB minus 3 reserved. */
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

/** One Redis-compatible endpoint. */
export interface RedisEndpointConfig {
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

export interface RedisConfig {
  /** REDIS_URL: the base instance, also the only one streaming reads. */
  readonly mastodon: RedisEndpointConfig;
  /** SIDEKIQ_REDIS_URL. @default the mastodon endpoint */
  readonly sidekiq?: RedisEndpointConfig;
  /** CACHE_REDIS_URL. @default the mastodon endpoint */
  readonly cache?: RedisEndpointConfig;
}

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

/** A cluster-wide operator an instance can install through Argo CD (see lib/argocd/operators.ts). */
export type OperatorId = 'cert-manager' | 'dragonfly-operator' | 'ingress-nginx' | 'keda';

/** Argo CD delivery of the instance: the app-of-apps rendered into `dist/<instance>/argocd/`. */
export interface ArgoCdConfig {
  /** The Git repository Argo CD reads `dist/` from. */
  readonly repoURL: string;
  /** @default 'HEAD' (the repository's default branch) */
  readonly targetRevision?: string;
  /** Folder of the rendered output in the repository. @default 'dist' */
  readonly path?: string;
  /** Argo CD's namespace, where Applications and AppProjects live. @default 'argocd' */
  readonly namespace?: string;
  /** The AppProject of the instance's Applications. @default the instance id */
  readonly project?: string;
  /** The destination cluster's API server. @default 'https://kubernetes.default.svc' */
  readonly server?: string;
  /**
   * Cluster-wide operators this instance installs: `auto` = those it needs, `none` = installed
   * elsewhere, or an explicit list. @default 'auto'
   */
  readonly operators?: 'auto' | 'none' | readonly OperatorId[];
}

export interface InstanceConfig {
  /** The namespace everything of this instance runs in (one namespace per instance). */
  readonly namespace: string;
  readonly mastodon: MastodonConfig;
  readonly web?: WebConfig;
  readonly streaming?: StreamingConfig;
  readonly database: DatabaseConfig;
  readonly redis: RedisConfig;
  readonly storage?: { readonly s3?: S3StorageConfig };
  readonly smtp?: SmtpConfig;
  readonly search?: SearchConfig;
  readonly secrets?: AppSecretsConfig;
  readonly argocd: ArgoCdConfig;
}

/** A weighted queue map (`{default: 8, push: 6}`) or a strict-priority list (`[default, push]`). */
export type QueueSpec = Readonly<Record<string, number>> | readonly string[];

export interface SidekiqPoolConfig {
  /** Sidekiq concurrency (`-c`); DB_POOL follows it. */
  readonly threads: number;
  readonly replicas: number;
  readonly queues: QueueSpec;
  readonly resources?: ResourcesConfig;
}

export interface QueuePlan {
  readonly pools: Readonly<Record<string, SidekiqPoolConfig>>;
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
}
