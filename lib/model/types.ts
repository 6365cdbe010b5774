import { PostgresMajor } from '../catalog/backup-images';
import { ImagesModel } from './images';
import { PlacementsModel } from './placement';
import { BackupDestinationConfig, BackupsConfig, S3StorageConfig, SecretKeyRef } from '../config/types';
import { ConnectionBudgetInput, ConnectionUse } from '../sizing/connection-budget';
import { CertManagerModel } from './cert-manager';
import { MastodonEnvModel } from './env';
import { RedisEndpoints } from '../catalog/redis';
import { NetworkPolicyModel } from './network-policy';
import { ArgoCdSettings } from './argocd';
import { OperatorId, PlatformNeeds } from '../catalog/operators';
import { EdgeModel } from './edge';
import { RedisRoleModel } from './dragonfly';
import { RedisRole } from '../catalog/redis';
import { ReplicaPlan } from '../sizing/replicas';
import { ContainerResources } from '../sizing/resources';
import { SidekiqAutoscalingPlan } from '../sizing/sidekiq-autoscaling';
import { MonitoringModel } from './monitoring';
import { SecretsSettings } from './secrets';

/**
 * One long-running process type of an instance (a Deployment), every default resolved: what the
 * chart renders, what `plan` prints and what the connection budget counts.
 */
export interface WorkloadModel {
  /** The Deployment: `web`, `streaming` or `sidekiq-<pool>`. */
  readonly name: string;
  readonly component: 'web' | 'streaming' | 'sidekiq';
  /** Pods at the most: the replicas, or the maximum an autoscaler may reach. */
  readonly pods: number;
  /** Processes per pod that hold database connections (Puma workers; one otherwise). */
  readonly processesPerPod: number;
  /** Threads per process (Puma MAX_THREADS, Sidekiq -c); none for the Node.js streaming server. */
  readonly threads?: number;
  /** PostgreSQL connections one process can open: its DB_POOL env value. */
  readonly dbPool: number;
  /** Resources of one pod's container. */
  readonly resources: ContainerResources;
  /** Its PostgreSQL connections at the most (pods × processes × DB_POOL), through the pool. */
  readonly db: ConnectionUse;
}

export interface WebModel extends WorkloadModel {
  readonly component: 'web';
  readonly replicas: ReplicaPlan;
  /** Puma workers per pod (WEB_CONCURRENCY). */
  readonly workers: number;
  /** Puma threads per worker (MAX_THREADS). */
  readonly threads: number;
}

export interface StreamingModel extends WorkloadModel {
  readonly component: 'streaming';
  readonly replicas: ReplicaPlan;
}

export interface SidekiqPoolModel extends WorkloadModel {
  readonly component: 'sidekiq';
  /** The queue-plan pool name. */
  readonly pool: string;
  /** Pods; with autoscaling, the fewest the autoscaler keeps. */
  readonly replicas: number;
  readonly threads: number;
  /** Queue names, in the order given. */
  readonly queues: readonly string[];
  /** Sidekiq's arguments (`-c`, `-t`, `-q`…). */
  readonly args: readonly string[];
  /** @default none: a fixed number of pods */
  readonly autoscaling?: SidekiqAutoscalingPlan;
}

/** `tootctl search deploy`, when search is configured and its Job not disabled. */
export interface SearchDeployModel {
  /** `search-deploy-<reindex>`: it changes only when the operator bumps `search.deploy.reindex`. */
  readonly name: string;
  readonly concurrency: number;
  readonly batchSize: number;
  readonly resources: ContainerResources;
  readonly db: ConnectionUse;
}

/** The Job that creates the first account (`mastodon.owner`), once per username. */
export interface OwnerJobModel {
  /** `create-owner-<username>` (lower case, `_` as `-`). */
  readonly name: string;
  readonly username: string;
  readonly email: string;
  /** `bin/tootctl accounts create <username> …`, only flags the version accepts. */
  readonly command: readonly string[];
  readonly resources: ContainerResources;
  readonly db: ConnectionUse;
}

/** The one-off and scheduled processes: each declares its PostgreSQL connections. */
export interface JobsModel {
  /** The migration hooks (db:prepare, db:migrate), one after another. */
  readonly migrations: {
    /** The database's direct connection, port resolved. */
    readonly direct: { readonly name: string; readonly port: number };
    readonly db: ConnectionUse;
  };
  readonly searchDeploy?: SearchDeployModel;
  /** @default none: `mastodon.owner` is opt-in */
  readonly owner?: OwnerJobModel;
  /** The pg_dump CronJob. */
  readonly backupDatabase?: DatabaseBackupModel;
  /** The pg_dump hook before the migrations of a new version (lib/constructs/backup/pre-upgrade-backup.ts), with the CronJob's settings. */
  readonly backupBeforeUpgrade?: {
    /** `db-backup-pre-v4-7-2`: one per version. */
    readonly name: string;
    /** `-pre-v4.7.2`: the end of the dump's name, `<instance>-<UTC stamp>-pre-v4.7.2.dump`. */
    readonly dumpSuffix: string;
    readonly db: ConnectionUse;
  };
  /** The rclone sync of the media bucket. */
  readonly backupMedia?: MediaBackupModel;
  /** The enabled housekeeping CronJobs (lib/model/maintenance.ts). */
  readonly maintenance: readonly MaintenanceJobModel[];
}

/** A housekeeping CronJob running one tootctl command in the Mastodon image. */
export interface MaintenanceJobModel {
  /** e.g. `media-remove` (the `mastodon-cdk8s.io/maintenance` label). */
  readonly task: string;
  /** `maintenance-<task>`. */
  readonly name: string;
  /** Cron schedule (UTC). */
  readonly schedule: string;
  /** `bin/tootctl …`, only flags the version accepts. */
  readonly command: readonly string[];
  readonly runLimitSeconds: number;
  readonly resources: ContainerResources;
  readonly db: ConnectionUse;
}

/** The encrypted backup store: the destination bucket under its folder. */
export interface BackupVaultModel {
  readonly destination: BackupDestinationConfig & { readonly prefix: string };
  readonly encryption: BackupsConfig['encryption'];
}

export interface DatabaseBackupModel {
  readonly vault: BackupVaultModel;
  readonly database: { readonly host: string; readonly port: number; readonly name: string; readonly user: string; readonly password: SecretKeyRef };
  readonly schedule: string;
  readonly retentionDays: number;
  readonly postgresVersion: PostgresMajor;
  readonly maxDumpSize: string;
  readonly db: ConnectionUse;
}

export interface MediaBackupModel {
  readonly vault: BackupVaultModel;
  /** The media bucket Mastodon uses (storage.s3). */
  readonly media: S3StorageConfig;
  readonly schedule: string;
}

/**
 * Everything one instance renders that has a default, resolved once by buildModel() from the
 * loaded config and lib/model/defaults.ts. Charts, `plan` and the connection budget read it.
 */
export interface InstanceModel {
  /** The config folder's name. */
  readonly instanceId: string;
  readonly namespace: string;
  /** `mastodon.version`, e.g. v4.5.2. */
  readonly version: string;
  readonly web: WebModel;
  readonly streaming: StreamingModel;
  /** One per pool of the queue plan, in its order. */
  readonly sidekiq: readonly SidekiqPoolModel[];
  readonly jobs: JobsModel;
  /**
   * The environment of Mastodon's processes, given where each Redis role is reached (the data
   * chart decides where its Dragonflies answer).
   */
  readonly env: (redis: RedisEndpoints) => MastodonEnvModel;
  /** Mastodon 4.3's REDIS_NAMESPACE (extraEnv), which prefixes the Sidekiq queue lists. @default none */
  readonly redisNamespace?: string;
  readonly networkPolicy: NetworkPolicyModel;
  /** Delivery through Argo CD. */
  readonly argocd: ArgoCdSettings;
  /** What the instance needs from the cluster, and the operators it installs. */
  readonly platform: { readonly needs: PlatformNeeds; readonly operators: readonly OperatorId[] };
  /** How traffic reaches the instance. @default none, without an edge section */
  readonly edge?: EdgeModel;
  /** How each Redis role is served. */
  readonly redis: Readonly<Record<RedisRole, RedisRoleModel>>;
  /** The Let's Encrypt ClusterIssuers. @default none, without a certManager section */
  readonly certManager?: CertManagerModel;
  /** Prometheus metrics, PodMonitors and scrape policies. @default none: monitoring is opt-in */
  readonly monitoring?: MonitoringModel;
  /** How the Secrets reach the cluster (the Secrets themselves: ResolvedSecrets, from what the charts reference). */
  readonly secrets: SecretsSettings;
  /** Every workload's and job's `db`, in that order, with the limits: derived here, nowhere else. */
  readonly connections: ConnectionBudgetInput;
  /** Every image, where it is pulled from and with which Secrets. */
  readonly images: ImagesModel;
  /** Where each component's pods run. */
  readonly placement: PlacementsModel;
}
