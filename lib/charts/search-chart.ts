import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { InstanceModel } from '../model/types';
import { MastodonEnv } from '../constructs/mastodon/mastodon-env';
import { SearchDeployJob } from '../constructs/mastodon/search-deploy';

export interface SearchChartProps {
  readonly model: InstanceModel;
  /** The shared environment (its ConfigMap comes with the mastodon chart). */
  readonly env: MastodonEnv;
}

/**
 * The search index build in the instance namespace, in a chart (and Application) of its own: a
 * plain Job that runs once per `search.deploy.reindex`, after the mastodon Application is healthy
 * (its wave, lib/charts/waves.ts). Empty without `search`, or with `search.deploy.enabled: false`.
 */
export class SearchChart extends Chart {
  /** Present when search is configured and its deploy Job not disabled. */
  public readonly searchDeploy?: SearchDeployJob;

  constructor(scope: Construct, id: string, props: SearchChartProps) {
    const { model } = props;
    super(scope, id, { namespace: model.namespace, disableResourceNameHashes: true });
    const job = model.jobs.searchDeploy;
    if (job) {
      this.searchDeploy = new SearchDeployJob(this, 'SearchDeploy', {
        instanceId: model.instanceId,
        version: model.version,
        image: model.images.mastodon,
        placement: model.placement.instance,
        env: props.env,
        name: job.name,
        concurrency: job.concurrency,
        batchSize: job.batchSize,
        resources: job.resources,
      });
    }
  }
}
