import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { RestoreJob, RestoreJobProps } from '../constructs/backup/restore-job';

export interface RestoreChartProps {
  readonly namespace: string;
  readonly job: RestoreJobProps;
}

/** The one-off restore Job that `mastodon-cdk8s restore` prints: never part of dist/. */
export class RestoreChart extends Chart {
  public readonly restore: RestoreJob;

  constructor(scope: Construct, id: string, props: RestoreChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    this.restore = new RestoreJob(this, 'Restore', props.job);
  }
}
