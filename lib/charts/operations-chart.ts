import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DatabaseBackup } from '../constructs/backup/database-backup';
import { MediaBackup } from '../constructs/backup/media-backup';
import { RequiredSecret } from '../core/env';
import { InstanceModel } from '../model/types';

export interface OperationsChartProps {
  readonly model: InstanceModel;
}

/** What keeps an instance safe in the instance namespace: the backup CronJobs. */
export class OperationsChart extends Chart {
  public readonly databaseBackup?: DatabaseBackup;
  public readonly mediaBackup?: MediaBackup;
  /** Every Secret key these objects reference. */
  public readonly requiredSecrets: readonly RequiredSecret[];

  constructor(scope: Construct, id: string, props: OperationsChartProps) {
    const { instanceId, namespace, jobs } = props.model;
    super(scope, id, { namespace, disableResourceNameHashes: true });
    if (jobs.backupDatabase) {
      const { vault, database, schedule, retentionDays, postgresVersion, maxDumpSize } = jobs.backupDatabase;
      this.databaseBackup = new DatabaseBackup(this, 'DatabaseBackup', { instanceId, vault, database, schedule, retentionDays, postgresVersion, maxDumpSize });
    }
    if (jobs.backupMedia) {
      const { vault, media, schedule } = jobs.backupMedia;
      this.mediaBackup = new MediaBackup(this, 'MediaBackup', { instanceId, vault, media, schedule });
    }
    this.requiredSecrets = [...this.databaseBackup?.requiredSecrets ?? [], ...this.mediaBackup?.requiredSecrets ?? []];
  }
}
