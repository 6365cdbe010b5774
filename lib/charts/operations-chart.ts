import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DatabaseBackup } from '../constructs/backup/database-backup';
import { MediaBackup } from '../constructs/backup/media-backup';
import { CreateOwnerJob } from '../constructs/mastodon/create-owner';
import { MaintenanceCronJob } from '../constructs/mastodon/maintenance-cron-job';
import { MastodonEnv } from '../constructs/mastodon/mastodon-env';
import { RequiredSecret } from '../core/env';
import { InstanceModel } from '../model/types';

export interface OperationsChartProps {
  readonly model: InstanceModel;
  /** The shared environment the housekeeping jobs run with (its ConfigMap comes with the mastodon chart). */
  readonly env: MastodonEnv;
}

/** What keeps an instance safe and tidy in the instance namespace: the backup and housekeeping CronJobs, and the first owner's Job. */
export class OperationsChart extends Chart {
  public readonly databaseBackup?: DatabaseBackup;
  public readonly mediaBackup?: MediaBackup;
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
    this.requiredSecrets = [...this.databaseBackup?.requiredSecrets ?? [], ...this.mediaBackup?.requiredSecrets ?? []];
  }
}
