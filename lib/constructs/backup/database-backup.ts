import { Construct } from 'constructs';
import { DEFAULT_PORTS } from '../../catalog/ports';
import { BackupsConfig, DatabaseConfig } from '../../config/types';
import { EnvBuilder, RequiredSecret } from '../../core/env';
import { BackupContainerProps, backupContainer, BackupCronJob, scratchVolume, TMP_VOLUME_SIZE } from './backup-cron-job';
import { POSTGRES_IMAGES, RCLONE_IMAGE } from '../../catalog/backup-images';
import { containerResources, DUMP_RESOURCES, UPLOAD_RESOURCES } from './resources';
import { DATABASE_FOLDER, RCLONE_HOME, rcloneBaseEnv, vaultEnv, VAULT_REMOTE } from './rclone';

export const DEFAULT_DATABASE_SCHEDULE = '0 */6 * * *';
export const DEFAULT_RETENTION_DAYS = 14;
export const DEFAULT_POSTGRES_VERSION = 17;
export const DEFAULT_MAX_DUMP_SIZE = '32Gi';
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
  readonly database: DatabaseConfig;
  readonly backups: BackupsConfig;
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
    const { database: db, instanceId } = props;
    const config = props.backups.database ?? {};
    const maxDumpSize = config.maxDumpSize ?? DEFAULT_MAX_DUMP_SIZE;

    const dumpEnv = new EnvBuilder()
      .set('PGHOST', db.host)
      .set('PGPORT', db.direct.port ?? DEFAULT_PORTS.databaseDirect)
      .set('PGDATABASE', db.direct.name)
      .set('PGUSER', db.user)
      .set('PGSSLMODE', SSL_MODE)
      .set('PGAPPNAME', APPLICATION_NAME)
      .set('DUMP_NAME', instanceId)
      .secret('PGPASSWORD', db.password, 'PostgreSQL password (database backup)');
    const uploadEnv = vaultEnv(rcloneBaseEnv(), props.backups, instanceId)
      .set('RETENTION_DAYS', config.retentionDays ?? DEFAULT_RETENTION_DAYS);
    this.requiredSecrets = [...dumpEnv.secrets, ...uploadEnv.secrets];

    const mounts: BackupContainerProps['volumeMounts'] = [
      { name: 'dump', mountPath: DUMP_DIR },
      { name: 'tmp', mountPath: RCLONE_HOME },
    ];
    this.job = new BackupCronJob(this, 'CronJob', {
      name: 'backup-database',
      instanceId,
      backup: 'database',
      schedule: config.schedule ?? DEFAULT_DATABASE_SCHEDULE,
      activeDeadlineSeconds: RUN_LIMIT_SECONDS,
      initContainers: [backupContainer({
        name: 'dump',
        image: POSTGRES_IMAGES[config.postgresVersion ?? DEFAULT_POSTGRES_VERSION],
        script: DUMP_SCRIPT,
        env: dumpEnv.toEnv(),
        resources: containerResources(DUMP_RESOURCES, maxDumpSize),
        volumeMounts: mounts,
      })],
      containers: [backupContainer({
        name: 'upload',
        image: RCLONE_IMAGE,
        script: UPLOAD_SCRIPT,
        env: uploadEnv.toEnv(),
        resources: containerResources(UPLOAD_RESOURCES),
        volumeMounts: mounts,
      })],
      volumes: [scratchVolume('dump', maxDumpSize), scratchVolume('tmp', TMP_VOLUME_SIZE)],
    });
  }
}
