import { MIGRATION_DIRECT_CONNECTIONS, PG_DUMP_CONNECTIONS, SEARCH_DEPLOY_EXTRA_CONNECTIONS } from '../catalog/mastodon-processes';
import { OWNER_ROLE, tootctlCommand } from '../catalog/tootctl';
import { InstanceConfig } from '../config/types';
import { sidekiqResources } from '../sizing/resources';
import { Defaults, DERIVED } from './defaults';
import { maintenanceModel } from './maintenance';
import { JobsModel, OwnerJobModel, RestoreDrillModel } from './types';
import { MINUTES_PER_DAY, startMinutesOfDay } from '../core/cron';

/**
 * The Jobs beside the workloads: the migration hooks (direct), `tootctl search deploy` after an
 * upgrade (its indexing threads and the main one, through the pool), the pg_dump of the
 * backups (direct) and the housekeeping CronJobs (./maintenance.ts, through the pool).
 */
export function jobsModel(instanceId: string, instance: InstanceConfig, d: Defaults): JobsModel {
  const deploy = instance.search?.deploy;
  const searchDeploy = instance.search && (deploy?.enabled ?? d.searchDeploy.enabled) ? (() => {
    const concurrency = deploy?.concurrency ?? d.searchDeploy.concurrency;
    return {
      name: `search-deploy-${String(deploy?.reindex ?? d.searchDeploy.reindex)}`,
      concurrency,
      batchSize: deploy?.batchSize ?? d.searchDeploy.batchSize,
      // A Rails process with `concurrency` threads, like a Sidekiq process.
      resources: sidekiqResources(concurrency),
      db: { name: 'search-deploy job', connections: concurrency + SEARCH_DEPLOY_EXTRA_CONNECTIONS, formula: `--concurrency ${concurrency} + ${SEARCH_DEPLOY_EXTRA_CONNECTIONS}`, via: 'pool' } as const,
    };
  })() : undefined;
  return {
    migrations: {
      direct: { name: instance.database.direct.name, port: instance.database.direct.port ?? d.database.directPort },
      db: { name: 'db:migrate job', connections: MIGRATION_DIRECT_CONNECTIONS, formula: 'migration + advisory lock', via: 'direct' },
    },
    ...(searchDeploy ? { searchDeploy } : {}),
    ...(instance.mastodon.owner ? { owner: ownerJobModel(instance) } : {}),
    ...backupsModel(instanceId, instance, d),
    maintenance: maintenanceModel(instance, d),
  };
}

/** The dump before a version's migrations: named by the version (a Job name allows no dots). */
function preUpgradeBackup(version: string): NonNullable<JobsModel['backupBeforeUpgrade']> {
  const name = `db-backup-pre-${version.replace(/\./g, '-')}`;
  return { name, dumpSuffix: `-pre-${version}`, db: { name: `${name} hook`, connections: PG_DUMP_CONNECTIONS, formula: 'pg_dump', via: 'direct' } };
}

/**
 * The restore drill of the database backups (instance.backups.database is set); also the settings
 * of a one-off restore (lib/app/restore.ts) when the drill is off.
 */
export function restoreDrillModel(instance: InstanceConfig, d: Defaults): RestoreDrillModel {
  const backup = instance.backups!.database!;
  const drill = backup.restoreDrill ?? {};
  const defaults = d.backups.database.restoreDrill;
  const jobs = drill.jobs ?? defaults.jobs;
  const db = instance.database;
  const starts = startMinutesOfDay(backup.schedule ?? d.backups.database.schedule);
  // An unreadable schedule is reported by checks/maintenance.ts; a day is then the gap assumed.
  const gap = Array.isArray(starts) ? longestGap(starts) : MINUTES_PER_DAY;
  return {
    schedule: drill.schedule ?? defaults.schedule,
    runLimitSeconds: defaults.runLimitMinutes * 60,
    maxDumpAgeHours: drill.maxDumpAgeHours ?? DERIVED.maxDumpAgeHours(gap),
    minRows: defaults.minRows,
    jobs,
    scratch: {
      size: drill.scratchSize ?? DERIVED.restoreScratchSize(backup.maxDumpSize ?? d.backups.database.maxDumpSize),
      storageClassName: drill.storageClassName ?? defaults.storageClassName,
    },
    ...(drill.database ? {
      database: { host: db.host, port: db.direct.port ?? d.database.directPort, name: drill.database, user: db.user, password: db.password },
      db: { name: 'restore-drill job', connections: jobs + 1, formula: `pg_restore --jobs ${jobs} + 1`, via: 'direct' },
    } : {}),
  };
}

/** The longest time between two consecutive starts of a daily schedule, in minutes. */
function longestGap(starts: readonly number[]): number {
  const sorted = [...new Set(starts)].sort((a, b) => a - b);
  return Math.max(...sorted.map((s, i) => (i + 1 < sorted.length ? sorted[i + 1] : sorted[0] + MINUTES_PER_DAY) - s));
}

/** The backup CronJobs, when configured: their schedules and sizes resolved, the vault's folder defaulting to the instance id. */
function backupsModel(instanceId: string, instance: InstanceConfig, d: Defaults): Pick<JobsModel, 'backupDatabase' | 'backupBeforeUpgrade' | 'restoreDrill' | 'backupMedia'> {
  const backups = instance.backups;
  if (!backups) return {};
  const vault = { destination: { ...backups.destination, prefix: backups.destination.prefix ?? DERIVED.backupPrefix(instanceId) }, encryption: backups.encryption };
  const db = instance.database;
  const database = backups.database;
  return {
    ...(database ? {
      backupDatabase: {
        vault,
        database: { host: db.host, port: db.direct.port ?? d.database.directPort, name: db.direct.name, user: db.user, password: db.password },
        schedule: database.schedule ?? d.backups.database.schedule,
        retentionDays: database.retentionDays ?? d.backups.database.retentionDays,
        postgresVersion: database.postgresVersion ?? d.backups.database.postgresVersion,
        maxDumpSize: database.maxDumpSize ?? d.backups.database.maxDumpSize,
        db: { name: 'backup-database job', connections: PG_DUMP_CONNECTIONS, formula: 'pg_dump', via: 'direct' },
      },
      ...(database.beforeUpgrade ?? d.backups.database.beforeUpgrade
        ? { backupBeforeUpgrade: preUpgradeBackup(instance.mastodon.version) }
        : {}),
      ...(database.restoreDrill?.enabled ?? d.backups.database.restoreDrill.enabled ? { restoreDrill: restoreDrillModel(instance, d) } : {}),
    } : {}),
    // storage.s3 is required (the schema), so there is always a media bucket to copy.
    ...(backups.media ? { backupMedia: { vault, media: instance.storage.s3, schedule: backups.media.schedule ?? d.backups.media.schedule } } : {}),
  };
}

/**
 * The first owner's Job: named by the username, so it runs once per username (a DNS label: lower
 * case, `_` as `-`, no `-` at either end). One Rails process on one thread, through the pool.
 */
function ownerJobModel(instance: InstanceConfig): OwnerJobModel {
  const { username, email } = instance.mastodon.owner!;
  const command = tootctlCommand(instance.mastodon.version, 'accountsCreate', [['--email', email], ['--confirmed'], ['--approve'], ['--role', OWNER_ROLE]]);
  return {
    name: `create-owner-${username.toLowerCase().replace(/_/g, '-').replace(/^-+|-+$/g, '')}`,
    username,
    email,
    // The username is the command's argument, right after `accounts create`.
    command: [...command.slice(0, 3), username, ...command.slice(3)],
    resources: sidekiqResources(1),
    db: { name: 'create-owner job', connections: 1, formula: 'tootctl accounts create', via: 'pool' },
  };
}
