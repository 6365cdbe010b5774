import { k8s } from 'cdk8s-plus-28';
import { EnvBuilder, SecretKeyRef } from '../../core/env';
import { pullSecretNames } from '../../core/image';
import { BackupContainerProps, backupContainer, BackupPod, scratchVolume, TMP_VOLUME_SIZE } from './backup-cron-job';
import { DumpImages } from './database-dump';
import { containerResources, UPLOAD_RESOURCES } from './resources';
import { BackupVault, DATABASE_FOLDER, RCLONE_HOME, rcloneBaseEnv, vaultEnv, VAULT_REMOTE } from './rclone';

/** Where the restore pod keeps the dump, the throwaway server's data and its socket. */
export const SCRATCH_DIR = '/scratch';
const DUMP_FILE_DIR = `${SCRATCH_DIR}/dump`;
/** The table a drill leaves in a configured scratch database: the next drill may restore over it. */
export const DRILL_MARKER_TABLE = 'mastodon_cdk8s_restore_drill';

/**
 * Fetches one dump from the vault, decrypting it: the one named in DUMP_FILE, or else the newest of
 * `<DUMP_NAME>-*.dump` (the names start with the UTC stamp after the instance id, so they sort by
 * time, pre-upgrade dumps included). Writes its name beside it.
 */
const FETCH_SCRIPT = `mkdir -p ${DUMP_FILE_DIR}
if [ -n "\${DUMP_FILE:-}" ]; then
  name="$DUMP_FILE"
else
  status=0
  listing="$(rclone lsf ${VAULT_REMOTE}:${DATABASE_FOLDER} --files-only --include "\${DUMP_NAME}-*.dump")" || status=$?
  # 3: no such folder yet, so no dump (https://rclone.org/docs/#exit-code).
  if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then echo "RESTORE FAILED: the vault could not be listed (rclone exited $status)" >&2; exit 1; fi
  name="$(printf '%s\\n' "$listing" | sort | tail -n 1)"
  if [ -z "$name" ]; then echo "RESTORE FAILED: no dump \${DUMP_NAME}-*.dump in the vault" >&2; exit 1; fi
fi
rclone copy "${VAULT_REMOTE}:${DATABASE_FOLDER}/$name" ${DUMP_FILE_DIR} -v
[ -s "${DUMP_FILE_DIR}/$name" ] || { echo "RESTORE FAILED: $name is not in the vault" >&2; exit 1; }
printf '%s' "$name" > ${DUMP_FILE_DIR}/NAME
`;

/**
 * Restores the fetched dump and proves it, failing with `RESTORE FAILED: <reason>` and exit 1:
 * 1. with MAX_DUMP_AGE_HOURS, the dump's age from the stamp in its name (a stale newest dump means
 *    the backups stopped);
 * 2. with THROWAWAY, a PostgreSQL server of the pod's own: initdb in a subdirectory (initdb refuses
 *    a directory it cannot chmod, such as a volume's root), Unix socket only, no durability;
 *    otherwise the database of the PG* variables, which must be empty, or hold a former drill
 *    (DRILL) or be cleaned on purpose (RESTORE_CLEAN=true);
 * 3. `pg_restore --exit-on-error` (its exit status is the verdict: it exits 1 at the first error);
 * 4. row counts of key tables against MIN_ROWS (`table=count` pairs) and schema_migrations.
 */
const RESTORE_SCRIPT = `fail() { echo "RESTORE FAILED: $*" >&2; exit 1; }
name="$(cat ${DUMP_FILE_DIR}/NAME)"
dump="${DUMP_FILE_DIR}/$name"
if [ -n "\${MAX_DUMP_AGE_HOURS:-}" ]; then
  stamp="$(printf '%s' "$name" | sed -nE 's/^.*-([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z(-pre-[^/]*)?\\.dump$/\\1-\\2-\\3 \\4:\\5:\\6 UTC/p')"
  [ -n "$stamp" ] || fail "$name has no UTC stamp in its name"
  age_hours=$(( ($(date -u +%s) - $(date -u -d "$stamp" +%s)) / 3600 ))
  [ "$age_hours" -le "$MAX_DUMP_AGE_HOURS" ] || fail "the newest dump, $name, is $age_hours hours old (at most $MAX_DUMP_AGE_HOURS): are the backups running?"
fi
if [ -n "\${THROWAWAY:-}" ]; then
  export PGDATA=${SCRATCH_DIR}/pgdata PGHOST=${SCRATCH_DIR}/run PGUSER=postgres PGDATABASE=drill
  mkdir -p "$PGHOST"
  initdb --no-sync -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 > /dev/null || fail "initdb"
  pg_ctl -w -l ${SCRATCH_DIR}/postgres.log -o "-c listen_addresses='' -k $PGHOST -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c dynamic_shared_memory_type=mmap" start > /dev/null || { cat ${SCRATCH_DIR}/postgres.log >&2; fail "the throwaway PostgreSQL did not start"; }
  trap 'pg_ctl -m immediate stop > /dev/null 2>&1 || true' EXIT
  createdb drill || fail "createdb"
fi
state="$(psql -v ON_ERROR_STOP=1 -tAc "SELECT CASE WHEN to_regclass('public.${DRILL_MARKER_TABLE}') IS NOT NULL THEN 'drill' WHEN to_regclass('public.accounts') IS NULL THEN 'empty' ELSE 'data' END")" || fail "cannot connect to database $PGDATABASE"
clean=""
case "$state" in
  empty) ;;
  drill) if [ -n "\${DRILL:-}" ] || [ "\${RESTORE_CLEAN:-}" = true ]; then clean="--clean --if-exists"; else fail "database $PGDATABASE holds a restore drill: give --clean to restore over it"; fi ;;
  *) if [ "\${RESTORE_CLEAN:-}" = true ]; then clean="--clean --if-exists"; else fail "database $PGDATABASE holds Mastodon data: refusing to restore over it (an empty database, or --clean)"; fi ;;
esac
started=$(date -u +%s)
# shellcheck disable=SC2086
pg_restore --exit-on-error --no-owner --no-privileges $clean --jobs="\${RESTORE_JOBS:-2}" --dbname="$PGDATABASE" "$dump" || fail "pg_restore of $name exited $?"
summary="restored $name into $PGDATABASE in $(( $(date -u +%s) - started )) s:"
migrations="$(psql -v ON_ERROR_STOP=1 -tAc 'SELECT count(*) FROM schema_migrations')" || fail "no schema_migrations table in $name"
[ "$migrations" -gt 0 ] || fail "schema_migrations of $name is empty"
summary="$summary schema_migrations=$migrations"
for pair in \${MIN_ROWS:-}; do
  table="\${pair%%=*}"
  least="\${pair#*=}"
  rows="$(psql -v ON_ERROR_STOP=1 -tAc "SELECT count(*) FROM public.$table")" || fail "no table $table in $name"
  [ "$rows" -ge "$least" ] || fail "$table has $rows rows in $name (at least $least)"
  summary="$summary $table=$rows"
done
if [ -n "\${DRILL:-}" ] && [ -z "\${THROWAWAY:-}" ]; then
  psql -v ON_ERROR_STOP=1 -qc "CREATE TABLE IF NOT EXISTS public.${DRILL_MARKER_TABLE} (restored_at timestamptz NOT NULL DEFAULT now(), dump text NOT NULL); INSERT INTO public.${DRILL_MARKER_TABLE} (dump) VALUES ('$name')" || fail "cannot mark $PGDATABASE as a drill's"
fi
echo "$summary"
`;

/** The scripts, for the tests that run them with Debian's PostgreSQL and rclone. */
/** A restore is never retried: a second attempt over a half-restored database proves nothing, and fails loudly instead. */
export const RESTORE_BACKOFF_LIMIT = 0;

export const DATABASE_RESTORE_SCRIPTS = { fetch: FETCH_SCRIPT, restore: RESTORE_SCRIPT } as const;

/** A database to restore into, reached directly. */
export interface RestoreTarget {
  readonly host: string;
  readonly port: number;
  readonly name: string;
  readonly user: string;
  readonly password: SecretKeyRef;
}

export interface DatabaseRestorePodProps {
  readonly instanceId: string;
  readonly vault: BackupVault;
  /** Major version of pg_restore (and of the throwaway server). */
  /** pg_restore's image (of the dump's major version or newer) and rclone's. */
  readonly images: DumpImages;
  /**
   * The dump's file name in the vault's database folder.
   * @default the newest dump of the instance
   */
  readonly dumpFile?: string;
  /**
   * The database restored into.
   * @default a throwaway PostgreSQL server in the pod
   */
  readonly target?: RestoreTarget;
  /** Restore over a database that holds Mastodon's tables (`pg_restore --clean --if-exists`). @default false */
  readonly clean?: boolean;
  /** A drill: the target may hold a former drill, and is marked as one after it. @default false */
  readonly drill?: boolean;
  /** Fail when the dump is older than this. @default no age check */
  readonly maxDumpAgeHours?: number;
  /** Fail when a table has fewer rows. */
  readonly minRows: Readonly<Record<string, number>>;
  /** pg_restore's parallel jobs (each a connection to the target, plus one). */
  readonly jobs: number;
  /** The scratch volume: the dump, plus the throwaway server's data. */
  readonly scratch: { readonly size: string; readonly storageClassName: string };
}

/** pg_restore and the throwaway server sort and build indexes in memory and on the scratch volume. */
const RESTORE_MEMORY = { request: '1Gi', limit: '2Gi' } as const;

/**
 * Fetches a dump from the vault (rclone image, init container) and restores it with the postgres
 * image, then checks it: the restore drill's and the one-off restore Job's pod.
 */
export function databaseRestorePod(props: DatabaseRestorePodProps): BackupPod {
  const fetchEnv = vaultEnv(rcloneBaseEnv(), props.vault).set('DUMP_NAME', props.instanceId).set('DUMP_FILE', props.dumpFile);
  const restoreEnv = new EnvBuilder()
    .set('THROWAWAY', props.target ? undefined : 'true')
    .set('PGHOST', props.target?.host)
    .set('PGPORT', props.target?.port)
    .set('PGDATABASE', props.target?.name)
    .set('PGUSER', props.target?.user)
    .set('PGSSLMODE', props.target ? 'require' : undefined)
    .set('PGAPPNAME', props.target ? 'mastodon-restore' : undefined)
    .set('RESTORE_CLEAN', props.clean ? 'true' : undefined)
    .set('DRILL', props.drill ? 'true' : undefined)
    .set('MAX_DUMP_AGE_HOURS', props.maxDumpAgeHours)
    .set('MIN_ROWS', Object.entries(props.minRows).map(([t, n]) => `${t}=${n}`).join(' '))
    .set('RESTORE_JOBS', props.jobs)
    .secret('PGPASSWORD', props.target?.password, 'PostgreSQL password (restore)');
  const mounts: BackupContainerProps['volumeMounts'] = [
    { name: 'scratch', mountPath: SCRATCH_DIR },
    { name: 'tmp', mountPath: RCLONE_HOME },
  ];
  const fetch = backupContainer({
    name: 'fetch', image: props.images.rclone, script: FETCH_SCRIPT, env: fetchEnv.toEnv(), resources: containerResources(UPLOAD_RESOURCES), volumeMounts: mounts,
  });
  const restore = backupContainer({
    name: 'restore',
    image: props.images.postgres,
    script: RESTORE_SCRIPT,
    env: restoreEnv.toEnv(),
    resources: {
      requests: { cpu: k8s.Quantity.fromNumber(props.jobs), memory: k8s.Quantity.fromString(RESTORE_MEMORY.request) },
      limits: { memory: k8s.Quantity.fromString(RESTORE_MEMORY.limit) },
    },
    volumeMounts: mounts,
  });
  return {
    initContainers: [fetch],
    containers: [restore],
    volumes: [ephemeralVolume('scratch', props.scratch.size, props.scratch.storageClassName), scratchVolume('tmp', TMP_VOLUME_SIZE)],
    pullSecrets: pullSecretNames(props.images.postgres, props.images.rclone),
    requiredSecrets: [...fetchEnv.secrets, ...restoreEnv.secrets],
  };
}

/**
 * A volume claimed for the pod alone and deleted with it (a generic ephemeral volume): a restored
 * database can outgrow a node's disk, which an emptyDir would fill.
 * @see https://kubernetes.io/docs/concepts/storage/ephemeral-volumes/#generic-ephemeral-volumes
 */
function ephemeralVolume(name: string, size: string, storageClassName: string): k8s.Volume {
  return {
    name,
    ephemeral: {
      volumeClaimTemplate: {
        spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage: k8s.Quantity.fromString(size) } } },
      },
    },
  };
}
