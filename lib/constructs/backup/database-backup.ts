import { Construct } from 'constructs';
import { RequiredSecret } from '../../core/env';
import { BackupCronJob } from './backup-cron-job';
import { NodePlacement } from '../../core/placement';
import { BackupVault } from './rclone';
import { databaseDumpPod, DumpedDatabase, DumpImages, DUMP_RUN_LIMIT_SECONDS } from './database-dump';

/** The CronJob's name (watched by the operational alerts). */
export const DATABASE_BACKUP_NAME = 'backup-database';

export interface DatabaseBackupProps {
  readonly instanceId: string;
  readonly vault: BackupVault;
  /** The database, reached directly (pg_dump cannot go through PgBouncer). */
  readonly database: DumpedDatabase;
  /** Cron schedule (UTC). */
  readonly schedule: string;
  /** Dumps older than this are deleted, after a successful upload. */
  readonly retentionDays: number;
  /** pg_dump's image (of the server's major version or newer) and rclone's. */
  readonly images: DumpImages;
  /** Where the pods run: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
  /** Disk for one compressed dump. */
  readonly maxDumpSize: string;
}

/**
 * `pg_dump` of the direct connection every 6 hours, encrypted by rclone crypt and uploaded to the
 * backup bucket, keeping 14 days (./database-dump.ts).
 */
export class DatabaseBackup extends Construct {
  public readonly job: BackupCronJob;
  public readonly requiredSecrets: readonly RequiredSecret[];

  constructor(scope: Construct, id: string, props: DatabaseBackupProps) {
    super(scope, id);
    const { instanceId, vault, database, retentionDays, images, maxDumpSize } = props;
    const pod = databaseDumpPod({ instanceId, vault, database, retentionDays, images, maxDumpSize });
    this.requiredSecrets = pod.requiredSecrets;
    this.job = new BackupCronJob(this, 'CronJob', {
      name: DATABASE_BACKUP_NAME,
      instanceId,
      backup: 'database',
      schedule: props.schedule,
      activeDeadlineSeconds: DUMP_RUN_LIMIT_SECONDS,
      initContainers: pod.initContainers,
      containers: pod.containers,
      volumes: pod.volumes,
      pullSecrets: pod.pullSecrets,
      placement: props.placement,
    });
  }
}
