import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DatabaseBackup } from '../constructs/backup/database-backup';
import { MediaBackup } from '../constructs/backup/media-backup';
import { LoadedInstance } from '../config/types';
import { RequiredSecret } from '../core/env';

export interface OperationsChartProps {
  readonly loaded: LoadedInstance;
}

/** What keeps an instance safe in the instance namespace: the backup CronJobs. */
export class OperationsChart extends Chart {
  public readonly databaseBackup?: DatabaseBackup;
  public readonly mediaBackup?: MediaBackup;
  /** Every Secret key these objects reference. */
  public readonly requiredSecrets: readonly RequiredSecret[];

  constructor(scope: Construct, id: string, props: OperationsChartProps) {
    const { id: instanceId, instance } = props.loaded;
    super(scope, id, { namespace: instance.namespace, disableResourceNameHashes: true });
    const backups = instance.backups;

    if (backups?.database) {
      this.databaseBackup = new DatabaseBackup(this, 'DatabaseBackup', { instanceId, database: instance.database, backups });
    }
    if (backups?.media) {
      // storage.s3 is required (the schema), so there is always a media bucket to copy.
      this.mediaBackup = new MediaBackup(this, 'MediaBackup', { instanceId, media: instance.storage.s3, backups });
    }
    this.requiredSecrets = [...this.databaseBackup?.requiredSecrets ?? [], ...this.mediaBackup?.requiredSecrets ?? []];
  }
}
