import { PostgresMajor, POSTGRES_IMAGES, RCLONE_IMAGE } from '../catalog/backup-images';
import { MASTODON_IMAGE, STREAMING_IMAGE } from '../catalog/mastodon-images';
import { DRAGONFLY_IMAGE } from '../catalog/dragonfly';
import { RedisRole } from '../catalog/redis';
import { SecretKeyRef } from '../core/env';
import { ArgoCdConfig, DatabaseConfig, MastodonConfig, NetworkPeerConfig, SearchConfig, SmtpEndpointConfig } from '../config/types';
import { DEFAULT_PORTS } from '../catalog/ports';
import { IN_CLUSTER_SERVER } from '../catalog/argocd';
import { INGRESS_NGINX_CLASS } from '../catalog/ingress-nginx';
import { DOKS_GATEWAY_CLASS } from '../catalog/doks';
import { AcmeEnvironment } from '../catalog/cert-manager';
import { REDIS_PORT } from '../catalog/redis';
import { PUMA, STREAMING_SERVER, TOOTCTL_SEARCH_DEPLOY } from '../catalog/mastodon-processes';
import { KUBE_PROMETHEUS_STACK } from '../catalog/prometheus-exporter';
import { SecretDelivery } from '../config/types';
import { BUDGET_WARN_RATIO } from '../sizing/connection-budget';

/**
 * Every default of instance.yaml the model resolves, once. `buildModel(loaded, defaults)` takes
 * this table as a parameter, so a test can change one default and see the render, `plan` and the
 * connection budget move together.
 */
export interface Defaults {
  readonly mastodon: {
    readonly defaultLocale: string;
    /** RAILS_LOG_LEVEL and the streaming server's LOG_LEVEL. */
    readonly logLevel: NonNullable<MastodonConfig['logLevel']>;
    readonly singleUserMode: boolean;
    /** AUTHORIZED_FETCH is rendered only when true (any value overrides the admin setting). */
    readonly authorizedFetch: boolean;
    readonly limitedFederationMode: boolean;
  };
  /** The Secret holding Mastodon's own keys. */
  readonly appSecretName: string;
  readonly secrets: {
    /** How the Secrets reach the cluster. */
    readonly delivery: SecretDelivery;
    /** How often ExternalSecrets read the store again (ESO's own default, externalsecret_types.go:597). */
    readonly externalSecrets: { readonly refreshInterval: string };
  };
  readonly database: {
    readonly poolPort: number;
    readonly directPort: number;
    readonly sslmode: NonNullable<DatabaseConfig['sslmode']>;
    /** PREPARED_STATEMENTS through the pool. */
    readonly preparedStatements: boolean;
  };
  /** A Redis role served by an external server. */
  readonly externalRedis: { readonly port: number; readonly db: number; readonly tls: boolean };
  readonly s3: { readonly permission: string };
  readonly smtp: {
    readonly port: number;
    readonly authMethod: NonNullable<SmtpEndpointConfig['authMethod']>;
    readonly enableStarttls: NonNullable<SmtpEndpointConfig['enableStarttls']>;
    readonly opensslVerifyMode: NonNullable<SmtpEndpointConfig['opensslVerifyMode']>;
  };
  readonly search: { readonly port: number; readonly preset: NonNullable<SearchConfig['preset']> };
  readonly deeplPlan: 'free' | 'pro';
  readonly edge: {
    readonly ingressClass: string;
    readonly gatewayClass: string;
    /** The Let's Encrypt environment that signs the certificate. */
    readonly tlsIssuer: AcmeEnvironment;
  };
  readonly certManagerSolver: 'http01' | 'dns01';
  readonly argocd: {
    readonly targetRevision: string;
    /** The rendered output's folder in the repository. */
    readonly path: string;
    /** Where Argo CD runs. */
    readonly namespace: string;
    readonly server: string;
    readonly operators: NonNullable<ArgoCdConfig['operators']>;
  };
  readonly web: {
    /** Pods without autoscaling. */
    readonly replicas: number;
    /** Puma workers per pod (WEB_CONCURRENCY). */
    readonly workers: number;
    /** Puma threads per worker (MAX_THREADS); DB_POOL follows it. */
    readonly threads: number;
  };
  readonly streaming: {
    readonly replicas: number;
    /** PostgreSQL connections per pod (DB_POOL). */
    readonly dbPool: number;
  };
  /** A web or streaming HPA. */
  readonly autoscaling: {
    readonly minReplicas: number;
    /** Average CPU, in percent of the request, the autoscaler aims for. */
    readonly targetCpuUtilization: number;
  };
  readonly searchDeploy: {
    /** The Job runs whenever `search` is configured. */
    readonly enabled: boolean;
    readonly concurrency: number;
    readonly batchSize: number;
    /** The first index build; bump `search.deploy.reindex` for another. */
    readonly reindex: string;
  };
  readonly networkPolicy: {
    /** Federation talks to the whole internet: egress stays open unless restricted. */
    readonly egress: 'open' | 'restricted';
    /** Who may reach web and streaming behind an Ingress: the ingress-nginx controller's namespace. */
    readonly ingressEdge: readonly NetworkPeerConfig[];
  };
  /** A role's Dragonfly. */
  readonly dragonfly: {
    /** The Secret key holding the password of every Dragonfly, unless a role names its own. */
    readonly password: SecretKeyRef;
    /** Pods, master included. */
    readonly replicas: number;
    readonly image: string;
    /** Whether each role keeps snapshots. */
    readonly snapshots: Readonly<Record<RedisRole, boolean>>;
    /** Snapshot schedule. */
    readonly snapshotCron: string;
    /** The snapshot volumes' StorageClass. */
    readonly storageClassName: string;
  };
  readonly backups: {
    readonly database: {
      /** Cron schedule (UTC). */
      readonly schedule: string;
      readonly retentionDays: number;
      /** pg_dump's major version; must be ≥ the server's. */
      readonly postgresVersion: PostgresMajor;
      /** Disk for one compressed dump. */
      readonly maxDumpSize: string;
      /** Whether a new Mastodon version is dumped before its migrations. */
      readonly beforeUpgrade: boolean;
    };
    readonly media: { readonly schedule: string };
  };
  readonly maintenance: MaintenanceDefaults;
  readonly monitoring: {
    readonly enabled: boolean;
    readonly scraper: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
    readonly selectorLabels: Readonly<Record<string, string>>;
    /** Request status is what the web error-rate alerts read. */
    readonly webDetailedMetrics: boolean;
    /** Queue backlog and latency are what the queue alerts read. */
    readonly sidekiqDetailedMetrics: boolean;
    /** The availability objective over 30 days. */
    readonly sloAvailability: number;
    readonly alerts: OperationalAlertDefaults;
    /** The Grafana dashboard ConfigMap and the sidecar label it carries. */
    readonly dashboard: { readonly enabled: boolean; readonly label: string; readonly labelValue: string };
  };
  /** Upstream's images (lib/catalog), pulled from where they are published, with no pull Secret. */
  readonly images: {
    /** Mastodon's and streaming's repositories: the tag is `mastodon.version`. */
    readonly mastodonRepository: string;
    readonly streamingRepository: string;
    readonly rclone: string;
    readonly postgres: Readonly<Record<PostgresMajor, string>>;
    readonly registryMirrors: Readonly<Record<string, string>>;
    readonly pullSecrets: readonly string[];
  };
}

/** Thresholds of the operational alerts (PrometheusRule `<id>-operations`, lib/model/operational-alerts.ts). */
export interface OperationalAlertDefaults {
  /** Per Sidekiq queue: the oldest job's wait and the jobs waiting that page someone. */
  readonly queues: Readonly<Record<string, QueueAlertThresholds>>;
  /** For a queue the table does not name. */
  readonly otherQueue: QueueAlertThresholds;
  /** Jobs the retry set may grow by in an hour. */
  readonly retrySetGrowthPerHour: number;
  /** Jobs the dead set may grow by in an hour. */
  readonly deadSetGrowthPerHour: number;
  /** Share of a Dragonfly's maxmemory in use. */
  readonly dragonflyMemoryRatio: number;
  /** Share of the connection budget's pool limit that Mastodon's processes hold open. */
  readonly databaseConnectionsRatio: number;
  /** Days a certificate may have left. */
  readonly certificateDays: number;
  /** A backup must have succeeded within this many of its longest gaps between runs. */
  readonly backupGaps: number;
  /** The alerts on exporters outside the instance. */
  readonly backups: boolean;
  readonly certificates: boolean;
  readonly keda: boolean;
  readonly argocd: boolean;
}

export interface QueueAlertThresholds {
  readonly latencyMinutes: number;
  readonly backlog: number;
}

/** The housekeeping CronJobs (lib/model/maintenance.ts). */
export interface MaintenanceDefaults {
  /** How long one database backup is assumed to run: no housekeeping job may run in that window. */
  readonly backupWindowMinutes: number;
  /** Hard time limit of one housekeeping run; with the schedules below it ends before the next backup. */
  readonly runLimitMinutes: number;
  readonly mediaRemove: { readonly enabled: boolean; readonly schedule: string; readonly days: number; readonly concurrency: number; readonly keepInteracted: boolean };
  readonly profileMediaRemove: { readonly enabled: boolean; readonly schedule: string; readonly mode: 'prune-profiles' | 'remove-headers'; readonly days: number; readonly includeFollows: boolean; readonly concurrency: number };
  readonly previewCardsRemove: { readonly enabled: boolean; readonly schedule: string; readonly days: number; readonly concurrency: number; readonly linkOnly: boolean };
  readonly mediaRemoveOrphans: { readonly enabled: boolean; readonly schedule: string };
  readonly accountsPrune: { readonly enabled: boolean; readonly schedule: string; readonly concurrency: number };
  readonly statusesRemove: { readonly enabled: boolean; readonly schedule: string; readonly days: number; readonly batchSize: number; readonly cleanFollowed: boolean };
}

/**
 * Web and streaming never run fewer pods than this: with one pod, every rollout, node drain or
 * crash is an outage, and a PodDisruptionBudget could never allow an eviction.
 */
export const MIN_AVAILABLE_REPLICAS = 2;

export const DEFAULTS: Defaults = {
  mastodon: { defaultLocale: 'en', logLevel: 'warn', singleUserMode: false, authorizedFetch: false, limitedFederationMode: false },
  appSecretName: 'mastodon-secrets',
  // Today's behaviour: the operator creates the Secrets (SECRETS.md has the commands).
  secrets: { delivery: 'manual', externalSecrets: { refreshInterval: '1h' } },
  // Through DigitalOcean's PgBouncer pools; encrypted without a CA file in the pods.
  // PgBouncer in transaction mode cannot keep prepared statements.
  database: { poolPort: DEFAULT_PORTS.databasePool, directPort: DEFAULT_PORTS.databaseDirect, sslmode: 'require', preparedStatements: false },
  externalRedis: { port: REDIS_PORT, db: 0, tls: false },
  s3: { permission: 'public-read' },
  smtp: { port: DEFAULT_PORTS.smtp, authMethod: 'plain', enableStarttls: 'always', opensslVerifyMode: 'peer' },
  search: { port: DEFAULT_PORTS.search, preset: 'single_node_cluster' },
  deeplPlan: 'free',
  edge: { ingressClass: INGRESS_NGINX_CLASS, gatewayClass: DOKS_GATEWAY_CLASS, tlsIssuer: 'production' },
  certManagerSolver: 'http01',
  argocd: { targetRevision: 'HEAD', path: 'dist', namespace: 'argocd', server: IN_CLUSTER_SERVER, operators: 'auto' },
  web: { replicas: MIN_AVAILABLE_REPLICAS, workers: PUMA.workers, threads: PUMA.threads },
  streaming: { replicas: MIN_AVAILABLE_REPLICAS, dbPool: STREAMING_SERVER.dbPool },
  // Headroom for Rails' bursts while new pods boot.
  autoscaling: { minReplicas: MIN_AVAILABLE_REPLICAS, targetCpuUtilization: 70 },
  searchDeploy: { enabled: true, ...TOOTCTL_SEARCH_DEPLOY, reindex: '1' },
  networkPolicy: { egress: 'open', ingressEdge: [{ namespace: 'ingress-nginx' }] },
  dragonfly: {
    password: { name: 'dragonfly-auth', key: 'password' },
    // A master and one replica: the operator promotes the replica when the master's pod goes.
    replicas: 2,
    image: DRAGONFLY_IMAGE,
    // A cache keeps nothing across restarts.
    snapshots: { mastodon: true, sidekiq: true, cache: false },
    // At most five minutes of writes lost if every pod of a role is lost at once.
    snapshotCron: '*/5 * * * *',
    // DOKS's default StorageClass (ReadWriteOnce, expandable).
    storageClassName: 'do-block-storage',
  },
  backups: {
    // Every 6 hours, kept 14 days: the reference instance's recovery point and window.
    // A dump before each upgrade's migrations, the way back when one goes wrong.
    database: { schedule: '0 */6 * * *', retentionDays: 14, postgresVersion: 17, maxDumpSize: '32Gi', beforeUpgrade: true },
    media: { schedule: '30 4 * * *' },
  },
  maintenance: {
    // The longest a dump of the reference instance takes; the backup CronJob keeps a longer limit as a safety net.
    backupWindowMinutes: 60,
    // 01:00 or 02:00 + 3 h ends before the 06:00 backup of the default schedule.
    runLimitMinutes: 180,
    // Upstream's media.rb and preview_cards.rb defaults (7, 180 days; concurrency 5). The official chart runs
    // `bin/tootctl media remove` without flags on Sundays at 00:00 (mastodon/chart@0072b14a values.yaml:30-36
    // `mastodon.cron.removeMedia`, templates/cronjob-media-remove.yaml); 00:00 is a backup start here, so an hour later.
    mediaRemove: { enabled: true, schedule: '0 1 * * 0', days: 7, concurrency: 5, keepInteracted: false },
    profileMediaRemove: { enabled: false, schedule: '0 1 * * 3', mode: 'remove-headers', days: 30, includeFollows: false, concurrency: 5 },
    previewCardsRemove: { enabled: true, schedule: '0 2 * * 3', days: 180, concurrency: 5, linkOnly: false },
    mediaRemoveOrphans: { enabled: false, schedule: '0 19 1 * *' },
    accountsPrune: { enabled: false, schedule: '0 2 * * 6', concurrency: 5 },
    // statuses.rb's defaults (90 days, batches of 1000).
    statusesRemove: { enabled: false, schedule: '0 19 15 * *', days: 90, batchSize: 1000, cleanFollowed: false },
  },
  // Opt-in: it needs a Prometheus (prometheus-operator) in the cluster. DOKS' 1-click stack by default.
  monitoring: {
    enabled: false,
    scraper: { namespace: KUBE_PROMETHEUS_STACK.namespace, podLabels: KUBE_PROMETHEUS_STACK.podLabels },
    selectorLabels: KUBE_PROMETHEUS_STACK.selectorLabels,
    webDetailedMetrics: true,
    sidekiqDetailedMetrics: true,
    // The reference instance's promise: 99.9 % a month.
    sloAvailability: 0.999,
    alerts: {
      // Minutes for the queues users feel (home feeds, deliveries, incoming posts, mail, cron);
      // pull and fasp carry imports, backups and account deletions, which may run long after a rush.
      queues: Object.fromEntries([
        ...['default', 'push', 'ingress', 'mailers', 'scheduler'].map((q) => [q, { latencyMinutes: 5, backlog: 10_000 }]),
        ...['pull', 'fasp'].map((q) => [q, { latencyMinutes: 30, backlog: 50_000 }]),
      ]),
      otherQueue: { latencyMinutes: 30, backlog: 50_000 },
      // Deliveries to servers that went away fill the retry set steadily; a jump is a new failure.
      retrySetGrowthPerHour: 5_000,
      // Jobs that exhausted their retries. Deliveries never land there (`dead: false`, mastodon/mastodon@cebb47f7f7
      // app/workers/activitypub/delivery_worker.rb:11), so a growing dead set is a bug or an outage.
      deadSetGrowthPerHour: 100,
      // Dragonfly refuses writes at maxmemory (the cache role evicts instead).
      dragonflyMemoryRatio: 0.85,
      // The connection budget's own warning line.
      databaseConnectionsRatio: BUDGET_WARN_RATIO,
      // Let's Encrypt certificates last 90 days and cert-manager renews at 30 days left.
      certificateDays: 14,
      backupGaps: 2,
      backups: true,
      certificates: true,
      keda: true,
      argocd: false,
    },
    dashboard: { enabled: true, label: KUBE_PROMETHEUS_STACK.dashboardLabel.name, labelValue: KUBE_PROMETHEUS_STACK.dashboardLabel.value },
  },
  images: {
    mastodonRepository: MASTODON_IMAGE,
    streamingRepository: STREAMING_IMAGE,
    rclone: RCLONE_IMAGE,
    postgres: POSTGRES_IMAGES,
    registryMirrors: {},
    pullSecrets: [],
  },
};

/** Defaults that follow from other values: each stated once, here. */
export const DERIVED = {
  /** WEB_DOMAIN: the local domain, unless Mastodon is served from another host. */
  webDomain: (localDomain: string): string => localDomain,
  /** The Secret of the edge's certificate. */
  tlsSecretName: (instanceId: string): string => `${instanceId}-tls`,
  /** The Secret cert-manager keeps an ACME account's key in. */
  accountKeySecret: (issuerName: string): string => `${issuerName}-account-key`,
  /** The instance's folder in the backup bucket. */
  backupPrefix: (instanceId: string): string => instanceId,
  /** The instance's AppProject. */
  argocdProject: (instanceId: string): string => instanceId,
  /** Where an instance's Secrets live in an external-secrets store: `<prefix>/<Secret>`. */
  remoteKeyPrefix: (instanceId: string): string => `mastodon-cdk8s/${instanceId}`,
  /** S3_HOSTNAME: the endpoint's host. */
  s3Hostname: (endpoint: URL): string => endpoint.host,
} as const;

/** What `mastodon-cdk8s init` writes when neither a flag nor an answer says otherwise. */
export const INIT_DEFAULTS = {
  /** The newest release the catalog knows (lib/catalog/mastodon-releases.ts), at its latest patch when this was written. */
  mastodonVersion: 'v4.7.2',
  /** The cluster file a first instance creates. */
  cluster: 'main',
  edge: 'ingress' as 'ingress' | 'gateway',
  /** The branch Argo CD follows. */
  targetRevision: 'main',
  /** cert-manager's ACME account address: `admin@<domain>`. */
  acmeEmail: (domain: string): string => `admin@${domain}`,
} as const;

/**
 * The ApplicationSet that generates the roots of the instances of one Argo CD (`argocd.applicationSet`),
 * and its progressive rollout: the groups in order, each with how many of its roots sync at once.
 */
export const APPLICATION_SET = {
  /** The ApplicationSet, its AppProject (`<name>`) and its root (`<name>-root`). */
  name: 'mastodon-instances',
  defaultGroup: 'main' as RolloutGroup,
  steps: [
    { group: 'canary' as RolloutGroup, maxUpdate: '100%' },
    { group: 'early' as RolloutGroup, maxUpdate: '100%' },
    // A quarter of the rest at a time: four waves, each waiting for the one before to be Healthy.
    { group: 'main' as RolloutGroup, maxUpdate: '25%' },
  ],
} as const;

/** A progressive-rollout group (`argocd.applicationSet.rolloutGroup`). */
export type RolloutGroup = 'canary' | 'early' | 'main';
