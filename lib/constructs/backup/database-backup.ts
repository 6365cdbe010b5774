import { Construct } from 'constructs';
import { NodePlacement } from '../../core/placement';
import { ResolvedImage } from '../../core/image';
import { EnvBuilder, RequiredSecret, SecretKeyRef } from '../../core/env';
import { BackupContainerProps, backupContainer, BackupCronJob, scratchVolume, TMP_VOLUME_SIZE } from './backup-cron-job';
import { containerResources, DUMP_RESOURCES, UPLOAD_RESOURCES } from './resources';
import { BackupVault, DATABASE_FOLDER, RCLONE_HOME, rcloneBaseEnv, vaultEnv, VAULT_REMOTE } from './rclone';

/** A run may take 4 hours, safely below the default 6-hour interval. */
const RUN_LIMIT_SECONDS = 4 * 3600;
/** Encryption in transit whatever DB_SSLMODE says (verify-* would need a CA file in the pod). */
const SSL_MODE = 'require';
/** Shows up in pg_stat_activity. */
const APPLICATION_NAME = 'mastodon-backup';

const DUMP_DIR = '/backup';

/**
 * Dumps in PostgreSQL's custom format (compressed, restorable table by table and in parallel with
 * pg_restore -j), proves the archive readable, and only then gives it its final name.
 */
const DUMP_SCRIPT = `stamp="$(date -u +%Y%m%dT%H%M%SZ)"
pg_dump --format=custom --no-password --file=${DUMP_DIR}/dump.partial
# A complete archive has a readable table of contents; a truncated one fails here.
pg_restore --list ${DUMP_DIR}/dump.partial > /dev/null
mv ${DUMP_DIR}/dump.partial "${DUMP_DIR}/\${DUMP_NAME}-\${stamp}.dump"
`;

/**
 * Uploads the dump through rclone crypt, then applies the retention: deletions run only after a
 * successful upload, so a broken backup never eats the last good dumps.
 */
const UPLOAD_SCRIPT = `rclone copy ${DUMP_DIR} ${VAULT_REMOTE}:${DATABASE_FOLDER} --include '*.dump' --immutable -v
rclone delete ${VAULT_REMOTE}:${DATABASE_FOLDER} --include '*.dump' --min-age "\${RETENTION_DAYS}d" -v
`;

export interface DatabaseBackupProps {
  readonly instanceId: string;
  readonly vault: BackupVault;
  /** The database, reached directly (pg_dump cannot go through PgBouncer). */
  readonly database: {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    readonly user: string;
    readonly password: SecretKeyRef;
  };
  /** Cron schedule (UTC). */
  readonly schedule: string;
  /** Dumps older than this are deleted, after a successful upload. */
  readonly retentionDays: number;
  /** pg_dump's image (of the server's major version or newer) and rclone's. */
  readonly images: { readonly postgres: ResolvedImage; readonly rclone: ResolvedImage };
  /** Where the pods run: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
  /** Disk for one compressed dump. */
  readonly maxDumpSize: string;
}

/**
 * `pg_dump` of the direct connection (PgBouncer's transaction pooling cannot serve a dump) every 6
 * hours, encrypted by rclone crypt and uploaded to the backup bucket, keeping 14 days. The dump
 * is written to a scratch volume by an init container (the postgres image has no S3 client), then
 * uploaded by rclone's image; nothing leaves the pod unencrypted, and TLS carries it both ways.
 */
export class DatabaseBackup extends Construct {
  public readonly job: BackupCronJob;
  public readonly requiredSecrets: readonly RequiredSecret[];

  constructor(scope: Construct, id: string, props: DatabaseBackupProps) {
    super(scope, id);
    const { database: db, instanceId, maxDumpSize } = props;

    const dumpEnv = new EnvBuilder()
      .set('PGHOST', db.host)
      .set('PGPORT', db.port)
      .set('PGDATABASE', db.name)
      .set('PGUSER', db.user)
      .set('PGSSLMODE', SSL_MODE)
      .set('PGAPPNAME', APPLICATION_NAME)
      .set('DUMP_NAME', instanceId)
      .secret('PGPASSWORD', db.password, 'PostgreSQL password (database backup)');
    const uploadEnv = vaultEnv(rcloneBaseEnv(), props.vault)
      .set('RETENTION_DAYS', props.retentionDays);
    this.requiredSecrets = [...dumpEnv.secrets, ...uploadEnv.secrets];

    const mounts: BackupContainerProps['volumeMounts'] = [
      { name: 'dump', mountPath: DUMP_DIR },
      { name: 'tmp', mountPath: RCLONE_HOME },
    ];
    this.job = new BackupCronJob(this, 'CronJob', {
      name: 'backup-database',
      instanceId,
      backup: 'database',
      schedule: props.schedule,
      activeDeadlineSeconds: RUN_LIMIT_SECONDS,
      initContainers: [backupContainer({
        name: 'dump',
        image: props.images.postgres,
        script: DUMP_SCRIPT,
        env: dumpEnv.toEnv(),
        resources: containerResources(DUMP_RESOURCES, maxDumpSize),
        volumeMounts: mounts,
      })],
      containers: [backupContainer({
        name: 'upload',
        image: props.images.rclone,
        script: UPLOAD_SCRIPT,
        env: uploadEnv.toEnv(),
        resources: containerResources(UPLOAD_RESOURCES),
        volumeMounts: mounts,
      })],
      volumes: [scratchVolume('dump', maxDumpSize), scratchVolume('tmp', TMP_VOLUME_SIZE)],
      placement: props.placement,
      pullSecrets: [...new Set([...props.images.postgres.pullSecrets, ...props.images.rclone.pullSecrets])],
    });
  }
}
