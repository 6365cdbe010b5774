import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DatabaseBackup } from '../constructs/backup/database-backup';
import { MediaBackup } from '../constructs/backup/media-backup';
import { CreateOwnerJob } from '../constructs/mastodon/create-owner';
import { RestoreDrill } from '../constructs/backup/restore-drill';
import { RedisOffsite } from '../constructs/backup/redis-offsite';
import { offsiteBasename } from '../catalog/dragonfly';
import { REDIS_ROLES } from '../catalog/redis';
import { dragonflyName } from '../constructs/common/dragonfly-labels';
import { MaintenanceCronJob } from '../constructs/mastodon/maintenance-cron-job';
import { MastodonEnv } from '../constructs/mastodon/mastodon-env';
import { RequiredSecret } from '../core/env';
import { InstanceModel } from '../model/types';

export interface OperationsChartProps {
  readonly model: InstanceModel;
  /** The shared environment the housekeeping jobs run with (its ConfigMap comes with the mastodon chart). */
  readonly env: MastodonEnv;
}

/** What keeps an instance safe and tidy in the instance namespace: the backup, restore drill and housekeeping CronJobs, and the first owner's Job. */
export class OperationsChart extends Chart {
  public readonly databaseBackup?: DatabaseBackup;
  public readonly mediaBackup?: MediaBackup;
  public readonly restoreDrill?: RestoreDrill;
  /** One per Dragonfly with off-site copies (backups.redis). */
  public readonly redisOffsite: readonly RedisOffsite[];
  public readonly maintenance: readonly MaintenanceCronJob[];
  /** The first owner's Job (`mastodon.owner`). @default none */
  public readonly owner?: CreateOwnerJob;
  /** Every Secret key these objects reference. */
  public readonly requiredSecrets: readonly RequiredSecret[];

  constructor(scope: Construct, id: string, props: OperationsChartProps) {
    const { instanceId, namespace, jobs } = props.model;
    super(scope, id, { namespace, disableResourceNameHashes: true });
    if (jobs.backupDatabase) {
      const { vault, database, schedule, retentionDays, postgresVersion, maxDumpSize } = jobs.backupDatabase;
      const images = { postgres: props.model.images.postgres(postgresVersion), rclone: props.model.images.rclone };
      this.databaseBackup = new DatabaseBackup(this, 'DatabaseBackup', { instanceId, vault, database, schedule, retentionDays, images, maxDumpSize, placement: props.model.placement.instance });
    }
    if (jobs.backupDatabase && jobs.restoreDrill) {
      const { vault, postgresVersion } = jobs.backupDatabase;
      const { schedule, runLimitSeconds, maxDumpAgeHours, minRows, jobs: restoreJobs, scratch, database } = jobs.restoreDrill;
      this.restoreDrill = new RestoreDrill(this, 'RestoreDrill', { instanceId, vault, images: { postgres: props.model.images.postgres(postgresVersion), rclone: props.model.images.rclone }, placement: props.model.placement.instance, schedule, runLimitSeconds, maxDumpAgeHours, minRows, jobs: restoreJobs, scratch, database });
    }
    this.redisOffsite = REDIS_ROLES.flatMap(({ role }) => {
      const served = props.model.redis[role];
      if (!('dragonfly' in served) || !served.dragonfly.offsite) return [];
      const { offsite, password, image } = served.dragonfly;
      return [new RedisOffsite(this, `RedisOffsite-${role}`, {
        instanceId, role, host: dragonflyName(role), password, image, rclone: props.model.images.rclone, placement: props.model.placement.instance, uri: offsite.uri, basename: offsiteBasename(role),
        bucket: { endpoint: offsite.endpoint, region: offsite.region, accessKeyId: offsite.accessKeyId, secretAccessKey: offsite.secretAccessKey, bucket: offsite.bucket },
        folder: offsite.folder, schedule: offsite.schedule, retentionDays: offsite.retentionDays,
      })];
    });
    if (jobs.backupMedia) {
      const { vault, media, schedule } = jobs.backupMedia;
      this.mediaBackup = new MediaBackup(this, 'MediaBackup', { instanceId, vault, media, schedule, rclone: props.model.images.rclone, placement: props.model.placement.instance });
    }
    this.maintenance = jobs.maintenance.map((job) => new MaintenanceCronJob(this, job.name, {
      name: job.name, task: job.task, instanceId, version: props.model.version, image: props.model.images.mastodon, placement: props.model.placement.instance, env: props.env,
      schedule: job.schedule, command: job.command, runLimitSeconds: job.runLimitSeconds, resources: job.resources,
      ...(job.db.via === 'direct' ? { direct: jobs.migrations.direct } : {}),
    }));
    if (jobs.owner) {
      const { name, command, resources } = jobs.owner;
      this.owner = new CreateOwnerJob(this, 'CreateOwner', { instanceId, version: props.model.version, image: props.model.images.mastodon, placement: props.model.placement.instance, env: props.env, name, command, resources });
    }
    this.requiredSecrets = [...this.databaseBackup?.requiredSecrets ?? [], ...this.restoreDrill?.requiredSecrets ?? [], ...this.redisOffsite.flatMap((r) => r.requiredSecrets), ...this.mediaBackup?.requiredSecrets ?? []];
  }
}
