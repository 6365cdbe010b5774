import { EnvBuilder, SecretKeyRef } from '../../core/env';
import { BackupContainerProps, backupContainer, BackupPod, scratchVolume, TMP_VOLUME_SIZE } from './backup-cron-job';
import { pullSecretNames, ResolvedImage } from '../../core/image';
import { containerResources, DUMP_RESOURCES, UPLOAD_RESOURCES } from './resources';
import { BackupVault, DATABASE_FOLDER, RCLONE_HOME, rcloneBaseEnv, vaultEnv, VAULT_REMOTE } from './rclone';

/** A dump may take 4 hours, safely below the default 6-hour interval. */
export const DUMP_RUN_LIMIT_SECONDS = 4 * 3600;
/** Encryption in transit whatever DB_SSLMODE says (verify-* would need a CA file in the pod). */
const SSL_MODE = 'require';
/** Shows up in pg_stat_activity. */
const APPLICATION_NAME = 'mastodon-backup';

export const DUMP_DIR = '/backup';
/** Left in DUMP_DIR by the check of a pre-upgrade dump when the vault already holds one: the dump and upload then do nothing. */
const TAKEN_MARKER = `${DUMP_DIR}/taken`;

/**
 * Dumps in PostgreSQL's custom format (compressed, restorable table by table and in parallel with
 * pg_restore -j), reads its table of contents back, and only then gives it its final name:
 * `<DUMP_NAME>-<UTC stamp><DUMP_SUFFIX>.dump`, so names sort by time whatever the suffix. The
 * listing catches an archive cut inside its table of contents only (pg_restore --list reads no
 * data): the restore drill is what proves a dump whole.
 */
const DUMP_SCRIPT = `stamp="$(date -u +%Y%m%dT%H%M%SZ)"
pg_dump --format=custom --no-password --file=${DUMP_DIR}/dump.partial
# Reads the table of contents back (not the data): the restore drill proves the rest.
pg_restore --list ${DUMP_DIR}/dump.partial > /dev/null
mv ${DUMP_DIR}/dump.partial "${DUMP_DIR}/\${DUMP_NAME}-\${stamp}\${DUMP_SUFFIX:-}.dump"
`;

/** Prepended to the dump and upload of a once-per-suffix dump. */
const UNLESS_TAKEN = `if [ -e ${TAKEN_MARKER} ]; then exit 0; fi
`;

/** Uploads the dump through rclone crypt; `--immutable` never overwrites a dump of the same name. */
const UPLOAD_SCRIPT = `rclone copy ${DUMP_DIR} ${VAULT_REMOTE}:${DATABASE_FOLDER} --include '*.dump' --immutable -v
`;

/**
 * Applies the retention after a successful upload (the script stops at the first failure), so a
 * broken backup never eats the last good dumps.
 */
const RETENTION_SCRIPT = `rclone delete ${VAULT_REMOTE}:${DATABASE_FOLDER} --include '*.dump' --min-age "\${RETENTION_DAYS}d" -v
`;

/**
 * Looks in the vault for a dump with this suffix (the pre-upgrade dump of this version): when one
 * is there, leaves the marker that makes the dump and upload do nothing. A folder not there yet
 * (rclone's exit code 3, "directory not found": a new vault, the first sync runs before the first
 * scheduled backup) holds none; any other error fails the pod, and with it the upgrade.
 * @see https://rclone.org/docs/#exit-code
 */
const CHECK_SCRIPT = `status=0
found="$(rclone lsf ${VAULT_REMOTE}:${DATABASE_FOLDER} --files-only --include "\${DUMP_NAME}-*\${DUMP_SUFFIX}.dump")" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then exit "$status"; fi
if [ -n "$found" ]; then
  echo "the vault already holds this dump, nothing to do: $found"
  touch ${TAKEN_MARKER}
fi
`;

/** The scripts, for the tests that run them with Debian's PostgreSQL and rclone. */
export const DATABASE_DUMP_SCRIPTS = { check: CHECK_SCRIPT, unlessTaken: UNLESS_TAKEN, dump: DUMP_SCRIPT, upload: UPLOAD_SCRIPT, retention: RETENTION_SCRIPT } as const;

/** The database a dump reads, reached directly (pg_dump cannot go through PgBouncer). */
export interface DumpedDatabase {
  readonly host: string;
  readonly port: number;
  readonly name: string;
  readonly user: string;
  readonly password: SecretKeyRef;
}

export interface DatabaseDumpPodProps {
  readonly instanceId: string;
  readonly vault: BackupVault;
  readonly database: DumpedDatabase;
  /** pg_dump's image (of the server's major version or newer) and rclone's. */
  readonly images: DumpImages;
  /** Disk for one compressed dump. */
  readonly maxDumpSize: string;
  /**
   * Dumps older than this many days are deleted after a successful upload.
   * @default none: nothing is deleted (the scheduled backup applies the retention)
   */
  readonly retentionDays?: number;
  /**
   * Take the dump only when the vault holds no dump with this suffix (`-pre-v4.7.2`), and name it
   * with it.
   * @default none: a dump at every run
   */
  readonly oncePerSuffix?: string;
}

/** The images of a dump's pod. */
export interface DumpImages {
  readonly postgres: ResolvedImage;
  readonly rclone: ResolvedImage;
}


/**
 * `pg_dump` of the direct connection, encrypted by rclone crypt and uploaded to the backup bucket.
 * The dump is written to a scratch volume by an init container (the postgres image has no S3
 * client), then uploaded by rclone's image; nothing leaves the pod unencrypted, and TLS carries it
 * both ways. Shared by the scheduled backup and the pre-upgrade hook.
 */
export function databaseDumpPod(props: DatabaseDumpPodProps): BackupPod {
  const { database: db, instanceId, maxDumpSize, oncePerSuffix } = props;
  const dumpEnv = new EnvBuilder()
    .set('PGHOST', db.host)
    .set('PGPORT', db.port)
    .set('PGDATABASE', db.name)
    .set('PGUSER', db.user)
    .set('PGSSLMODE', SSL_MODE)
    .set('PGAPPNAME', APPLICATION_NAME)
    .set('DUMP_NAME', instanceId)
    .set('DUMP_SUFFIX', oncePerSuffix)
    .secret('PGPASSWORD', db.password, 'PostgreSQL password (database backup)');
  const rcloneEnv = vaultEnv(rcloneBaseEnv(), props.vault);
  const uploadEnv = vaultEnv(rcloneBaseEnv(), props.vault).set('RETENTION_DAYS', props.retentionDays);
  const checkEnv = rcloneEnv.set('DUMP_NAME', instanceId).set('DUMP_SUFFIX', oncePerSuffix);

  const mounts: BackupContainerProps['volumeMounts'] = [
    { name: 'dump', mountPath: DUMP_DIR },
    { name: 'tmp', mountPath: RCLONE_HOME },
  ];
  const rclone = (name: string, script: string, env: EnvBuilder) => backupContainer({
    name, image: props.images.rclone, script, env: env.toEnv(), resources: containerResources(UPLOAD_RESOURCES), volumeMounts: mounts,
  });
  const once = oncePerSuffix === undefined ? '' : UNLESS_TAKEN;
  const dump = backupContainer({
    name: 'dump',
    image: props.images.postgres,
    script: once + DUMP_SCRIPT,
    env: dumpEnv.toEnv(),
    resources: containerResources(DUMP_RESOURCES, maxDumpSize),
    volumeMounts: mounts,
  });
  const upload = rclone('upload', once + UPLOAD_SCRIPT + (props.retentionDays === undefined ? '' : RETENTION_SCRIPT), uploadEnv);
  return {
    initContainers: oncePerSuffix === undefined ? [dump] : [rclone('check', CHECK_SCRIPT, checkEnv), dump],
    containers: [upload],
    volumes: [scratchVolume('dump', maxDumpSize), scratchVolume('tmp', TMP_VOLUME_SIZE)],
    pullSecrets: pullSecretNames(props.images.postgres, props.images.rclone),
    requiredSecrets: [...dumpEnv.secrets, ...uploadEnv.secrets],
  };
}
