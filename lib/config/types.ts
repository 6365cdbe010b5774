import type { ConfigProblem } from './errors';
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

/**
 * A PEM file in the instance's namespace: one key of a ConfigMap or of a Secret (exactly one of
 * the two; a CA certificate is public, so a ConfigMap is enough). Mounted read-only into the pods
 * that read it.
 */
export interface FileRef {
  /** @default none: give `secret` */
  readonly configMap?: string;
  /** @default none: give `configMap` */
  readonly secret?: string;
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
  /** At least 2. Leave out with `autoscaling`. @default 2 */
  readonly replicas?: number;
  /** Puma worker processes per pod (WEB_CONCURRENCY). @default 2 */
  readonly workers?: number;
  /** Puma threads per worker (MAX_THREADS). @default 5 */
  readonly threads?: number;
  readonly resources?: ResourcesConfig;
  /** @default no autoscaler: `replicas` pods */
  readonly autoscaling?: AutoscalingConfig;
}

export interface StreamingConfig {
  /** At least 2. Leave out with `autoscaling`. @default 2 */
  readonly replicas?: number;
  /** PostgreSQL connections per streaming pod (DB_POOL). @default 10 */
  readonly dbPool?: number;
  readonly resources?: ResourcesConfig;
  /** @default no autoscaler: `replicas` pods */
  readonly autoscaling?: AutoscalingConfig;
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
  /**
   * The CA that signed the server's certificate (DigitalOcean: the cluster's "CA certificate"),
   * required by `verify-ca` and `verify-full`: PGSSLROOTCERT for Rails (libpq), NODE_EXTRA_CA_CERTS
   * for streaming. @default none (only allowed without verification)
   */
  readonly caCertificate?: FileRef;
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
  /** CA bundle to verify the server with (SMTP_CA_FILE, BULK_SMTP_CA_FILE). @default the image's system bundle */
  readonly caCertificate?: FileRef;
}

export interface SmtpConfig extends SmtpEndpointConfig {
  readonly fromAddress: string;
  /** SMTP_REPLY_TO. @default none */
  readonly replyTo?: string;
  /**
   * A separate server for mass mail (announcements, terms of service; Mastodon ≥ 4.4). Mastodon
   * sends it from `fromAddress` too: it reads no BULK_SMTP_FROM_ADDRESS. @default the same server
   */
  readonly bulk?: SmtpEndpointConfig;
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
  /** CA bundle to verify an https:// host with (ES_CA_FILE). @default the image's system bundle */
  readonly caCertificate?: FileRef;
  /** The `tootctl search deploy` Job, run once per value of `deploy.reindex`. */
  readonly deploy?: SearchDeployConfig;
}

export interface SearchDeployConfig {
  /** @default true */
  readonly enabled?: boolean;
  /** `--concurrency`: indexing threads (each holds a database connection). @default 5 */
  readonly concurrency?: number;
  /** `--batch-size`: records per batch. @default 100 */
  readonly batchSize?: number;
  /** Bump it to run a full re-index: it names the Job (`search-deploy-<reindex>`). @default '1' */
  readonly reindex?: string | number;
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

/** A HorizontalPodAutoscaler on CPU for web or streaming (opt-in). */
export interface AutoscalingConfig {
  /** @default 2 */
  readonly minReplicas?: number;
  /** Connection budgets count this many pods. */
  readonly maxReplicas: number;
  /** Average CPU use the autoscaler aims for, in percent of the CPU request. @default 70 */
  readonly targetCpuUtilization?: number;
}

/** A source allowed through the instance's NetworkPolicies: pods of a namespace, or a CIDR block. */
export interface NetworkPeerConfig {
  readonly namespace?: string;
  /** Only the pods of `namespace` with these labels. @default every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly cidr?: string;
}

/** The instance namespace's NetworkPolicies (ingress is always denied by default). */
export interface NetworkPolicyConfig {
  /**
   * Who may connect to web, streaming and cert-manager's HTTP-01 solver; `any` admits every source
   * on those ports (Cilium's Gateway API). @default [{ namespace: 'ingress-nginx' }]
   */
  readonly edge?: 'any' | readonly NetworkPeerConfig[];
  /** @default 'open' */
  readonly egress?: 'open' | 'restricted';
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
   * A short name of the destination cluster, appended to the names of the (cluster-wide) operator
   * Applications, so one Argo CD can install operators into several clusters. @default none
   */
  readonly cluster?: string;
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
  readonly redis?: RedisConfig;
  /** Media storage: S3-compatible object storage, required (local media would land on the read-only root; README "Media storage"). */
  readonly storage: { readonly s3: S3StorageConfig };
  readonly smtp?: SmtpConfig;
  readonly search?: SearchConfig;
  readonly translation?: TranslationConfig;
  readonly captcha?: CaptchaConfig;
  readonly secrets?: AppSecretsConfig;
  /** @default deny ingress except from the edge (ingress-nginx, or any source behind a Gateway) and to Dragonfly; egress open */
  readonly networkPolicy?: NetworkPolicyConfig;
  /** @default no Ingress or Gateway (bring your own) */
  readonly edge?: EdgeConfig;
  /** @default no ClusterIssuers */
  readonly certManager?: CertManagerConfig;
  readonly argocd: ArgoCdConfig;
  readonly backups?: BackupsConfig;
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
  /** Annotations of the edge's load balancer Service (the Gateway's, or ingress-nginx's controller Service). @default none */
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
  /** The parsed files (instance.yaml over the shared defaults), for checks that point at file:line:col. */
  readonly sources: { readonly instance: ConfigSource; readonly queuePlan: ConfigSource };
  /** The instance id: the folder name under config/, `dist/<id>/`, `app.kubernetes.io/instance`. */
  readonly id: string;
  readonly dir: string;
  readonly instance: InstanceConfig;
  readonly queuePlan: QueuePlan;
  /** Problems found while loading that do not stop the render. */
  readonly warnings: readonly ConfigProblem[];
}
