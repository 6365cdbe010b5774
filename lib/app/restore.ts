import { App } from 'cdk8s';
import { RestoreChart } from '../charts/restore-chart';
import { LoadedInstance } from '../config/types';
import { FileError } from '../core/file-error';
import { buildModel } from '../model/build';
import { DEFAULTS, Defaults } from '../model/defaults';
import { restoreDrillModel } from '../model/jobs';
import { toYaml } from '../render/canonical';
import { ValidationError } from '../validate/object-problem';
import { chartObjects } from './chart-objects';
import { checkRendered } from '../validate/validate';

/** What `mastodon-cdk8s restore` was asked. */
export interface RestoreRequest {
  /** The dump's name in the vault's database folder, as `rclone lsf vault:database` lists it. */
  readonly from: string;
  /** A database of the instance's cluster to restore into; none: a throwaway server in the pod (proves the dump). */
  readonly into?: string;
  /** Restore over Mastodon's tables in `into`. */
  readonly clean?: boolean;
  /** pg_restore --jobs. */
  readonly jobs?: number;
}

/** `<id>-<UTC stamp>[-pre-<version>].dump`: the names the backup and the pre-upgrade dump give. */
function dumpPattern(instanceId: string): RegExp {
  return new RegExp(`^${instanceId}-(\\d{8}T\\d{6}Z)(-pre-v\\d+\\.\\d+\\.\\d+)?\\.dump$`);
}

/**
 * The one-off restore Job of an instance, as YAML: fetches the named dump from the vault, restores
 * it into `into` (or a throwaway server) with the restore drill's container and checks, and fails
 * loudly. Pure: the same request gives the same Job (named after the dump).
 */
export function renderRestoreJob(loaded: LoadedInstance, request: RestoreRequest, defaults: Defaults = DEFAULTS): string {
  const model = buildModel(loaded, defaults);
  const backup = model.jobs.backupDatabase;
  if (!backup) throw new FileError(`${loaded.dir}/instance.yaml`, 'has no backups.database: there are no dumps to restore (see README, "Backups")');
  const match = dumpPattern(loaded.id).exec(request.from);
  if (!match) {
    throw new FileError('--from', `"${request.from}" is not a dump of ${loaded.id}; expected ${loaded.id}-<YYYYMMDDTHHMMSSZ>.dump or ${loaded.id}-<YYYYMMDDTHHMMSSZ>-pre-<version>.dump, as \`rclone lsf vault:database\` lists them`);
  }
  const db = loaded.instance.database;
  if (request.into !== undefined && !/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(request.into)) {
    throw new FileError('--into', `"${request.into}" is not a database name; expected a PostgreSQL name of letters, digits and _ (at most 63)`);
  }
  if (request.into === db.direct.name && !request.clean) {
    throw new FileError('--into', `"${request.into}" is the instance's live database (database.direct.name): restore into a new empty database, or give --clean to restore over it (stop the instance first: README, "Restore")`);
  }
  if (request.clean && request.into === undefined) throw new FileError('--clean', 'needs --into: a throwaway server starts empty');
  const drill = model.jobs.restoreDrill ?? restoreDrillModel(loaded.instance, defaults);
  const suffix = (match[1] + (match[2] ?? '')).toLowerCase().replace(/\./g, '-');
  const app = new App();
  const chart = new RestoreChart(app, 'restore', {
    namespace: model.namespace,
    job: {
      name: `restore-${suffix}`,
      instanceId: loaded.id,
      vault: backup.vault,
      images: { postgres: model.images.postgres(backup.postgresVersion), rclone: model.images.rclone },
      placement: model.placement.instance,
      dumpFile: request.from,
      target: request.into === undefined ? undefined : { host: db.host, port: model.jobs.migrations.direct.port, name: request.into, user: db.user, password: db.password },
      clean: request.clean,
      minRows: drill.minRows,
      jobs: request.jobs ?? drill.jobs,
      scratch: drill.scratch,
    },
  });
  const objects = chartObjects(chart);
  const problems = checkRendered(objects.map((object) => ({ file: `restore/${object.kind}.${object.metadata.name}.yaml`, object })));
  if (problems.length > 0) throw new ValidationError(problems);
  return objects.map(toYaml).join('---\n');
}
