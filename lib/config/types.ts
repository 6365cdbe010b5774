import type { ConfigSource } from './source';

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
  /** S3_OVERRIDE_PATH_STYLE: virtual-hosted-style requests (`bucket.endpoint`) instead of path style. @default false */
  readonly overridePathStyle?: boolean;
  /** S3_MULTIPART_THRESHOLD, in MiB. @default Mastodon's own (15 MiB) */
  readonly multipartThresholdMiB?: number;
}

/** One SMTP server and how to reach it (SMTP_* or BULK_SMTP_*). */
export interface SmtpEndpointConfig {
  readonly server: string;
  /** @default 587 */
  readonly port?: number;
  readonly login: SecretKeyRef;
  readonly password: SecretKeyRef;
  /** @default 'plain' */
  readonly authMethod?: 'plain' | 'login' | 'cram_md5' | 'none';
  /** @default 'always' */
  readonly enableStarttls?: 'auto' | 'always' | 'never';
  /** Verify the server's certificate. @default 'peer' */
  readonly opensslVerifyMode?: 'none' | 'peer';
  /** The HELO domain (SMTP_DOMAIN). @default Mastodon's: LOCAL_DOMAIN */
  readonly domain?: string;
}

export interface SmtpConfig extends SmtpEndpointConfig {
  readonly fromAddress: string;
  /** SMTP_REPLY_TO. @default none */
  readonly replyTo?: string;
  /** A separate server for mass mail (announcements, terms of service; Mastodon ≥ 4.4). @default the same server */
  readonly bulk?: SmtpEndpointConfig & {
    /** BULK_SMTP_FROM_ADDRESS. @default not set: Mastodon's own default */
    readonly fromAddress?: string;
  };
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
  /** Index name prefix; give each instance its own when they share a cluster. @default no prefix */
  readonly prefix?: string;
  /** The `tootctl search deploy` Job run once per Mastodon version, after the rollout. */
  readonly deploy?: SearchDeployConfig;
}

export interface SearchDeployConfig {
  /** @default true */
  readonly enabled?: boolean;
  /** `--concurrency`: indexing threads (each holds a database connection). @default 5 */
  readonly concurrency?: number;
  /** `--batch-size`: records per batch. @default 100 */
  readonly batchSize?: number;
}

/** Post translation: one service. */
export interface TranslationConfig {
  /** DeepL. */
  readonly deepl?: {
    readonly apiKey: SecretKeyRef;
    /** @default 'free' */
    readonly plan?: 'free' | 'pro';
  };
  /** A LibreTranslate server. */
  readonly libreTranslate?: {
    /** e.g. `https://translate.example.com`. */
    readonly endpoint: string;
    /** @default no key */
    readonly apiKey?: SecretKeyRef;
  };
}

/** A captcha on the sign-up confirmation page. */
export interface CaptchaConfig {
  readonly hcaptcha: {
    /** The public site key (shown in the page). */
    readonly siteKey: string;
    readonly secretKey: SecretKeyRef;
  };
}

/** An S3-compatible bucket that receives the backups (Backblaze B2, Spaces, AWS S3). */
export interface BackupDestinationConfig {
  /** `https://…` only: backups travel encrypted. */
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  /** The folder in the bucket. @default the instance id */
  readonly prefix?: string;
  readonly accessKeyId: SecretKeyRef;
  readonly secretAccessKey: SecretKeyRef;
  /** Also ask the storage to encrypt at rest with its own keys (SSE `AES256`: AWS, Backblaze B2). @default false */
  readonly serverSideEncryption?: boolean;
}

export interface DatabaseBackupConfig {
  /** Cron schedule (UTC). @default every 6 hours */
  readonly schedule?: string;
  /** Dumps older than this are deleted by the job, after a successful upload. @default 14 */
  readonly retentionDays?: number;
  /** Major version of pg_dump; must be ≥ the server's. @default 17 */
  readonly postgresVersion?: 16 | 17 | 18;
  /** Disk for one compressed dump (emptyDir limit and ephemeral-storage request). @default '32Gi' */
  readonly maxDumpSize?: string;
}

export interface MediaBackupConfig {
  /** Cron schedule (UTC). @default daily at 04:30 */
  readonly schedule?: string;
}

/** Backups as CronJobs: database dumps and a media copy, encrypted client-side, into one bucket. */
export interface BackupsConfig {
  readonly destination: BackupDestinationConfig;
  /** rclone crypt keys: everything is encrypted before it leaves the cluster. */
  readonly encryption: {
    /** The password, as printed by `rclone obscure`. */
    readonly password: SecretKeyRef;
    /** A second password (salt), also obscured. @default none */
    readonly salt?: SecretKeyRef;
  };
  /** `pg_dump` of the direct connection. @default no database backup */
  readonly database?: DatabaseBackupConfig;
  /** `rclone sync` of the media bucket (storage.s3). @default no media backup */
  readonly media?: MediaBackupConfig;
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
  readonly redis: RedisConfig;
  readonly storage?: { readonly s3?: S3StorageConfig };
  readonly smtp?: SmtpConfig;
  readonly search?: SearchConfig;
  readonly translation?: TranslationConfig;
  readonly captcha?: CaptchaConfig;
  readonly secrets?: AppSecretsConfig;
  readonly backups?: BackupsConfig;
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
  /** The parsed files (instance.yaml over the shared defaults), for checks that point at file:line:col. */
  readonly sources: { readonly instance: ConfigSource; readonly queuePlan: ConfigSource };
  /** The instance id: the folder name under config/, `dist/<id>/`, `app.kubernetes.io/instance`. */
  readonly id: string;
  readonly dir: string;
  readonly instance: InstanceConfig;
  readonly queuePlan: QueuePlan;
}
