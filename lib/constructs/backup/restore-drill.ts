import { Construct } from 'constructs';
import { NodePlacement } from '../../core/placement';
import { RequiredSecret } from '../../core/env';
import { BackupCronJob } from './backup-cron-job';
import { DumpImages } from './database-dump';
import { databaseRestorePod, RESTORE_BACKOFF_LIMIT, RestoreTarget } from './database-restore';
import { BackupVault } from './rclone';

export interface RestoreDrillProps {
  readonly instanceId: string;
  readonly vault: BackupVault;
  /** pg_restore's image (of the dump's major version or newer) and rclone's. */
  readonly images: DumpImages;
  /** Where the pod runs: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
  /** Cron schedule (UTC). */
  readonly schedule: string;
  /** Hard time limit of one drill. */
  readonly runLimitSeconds: number;
  /** A dump older than this fails the drill: the backups stopped. */
  readonly maxDumpAgeHours: number;
  /** A table with fewer rows fails the drill. */
  readonly minRows: Readonly<Record<string, number>>;
  /** pg_restore's parallel jobs. */
  readonly jobs: number;
  readonly scratch: { readonly size: string; readonly storageClassName: string };
  /**
   * A scratch database to restore into (never the production one: a check refuses it).
   * @default a throwaway PostgreSQL server in the pod
   */
  readonly database?: RestoreTarget;
}

/**
 * `restore-drill`: restores the newest dump and checks it (./database-restore.ts), so a backup is
 * proven before the day it is needed. A failed drill is a failed Job, not retried (a second try
 * proves nothing new): alert on it (README, "Restore drill").
 */
export class RestoreDrill extends Construct {
  public readonly job: BackupCronJob;
  public readonly requiredSecrets: readonly RequiredSecret[];

  constructor(scope: Construct, id: string, props: RestoreDrillProps) {
    super(scope, id);
    const { instanceId, vault, images, maxDumpAgeHours, minRows, jobs, scratch } = props;
    const pod = databaseRestorePod({ instanceId, vault, images, maxDumpAgeHours, minRows, jobs, scratch, drill: true, target: props.database });
    this.requiredSecrets = pod.requiredSecrets;
    this.job = new BackupCronJob(this, 'CronJob', {
      name: 'restore-drill',
      instanceId,
      backup: 'restore-drill',
      schedule: props.schedule,
      activeDeadlineSeconds: props.runLimitSeconds,
      backoffLimit: RESTORE_BACKOFF_LIMIT,
      initContainers: pod.initContainers,
      containers: pod.containers,
      volumes: pod.volumes,
      pullSecrets: pod.pullSecrets,
      placement: props.placement,
    });
  }
}
