import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { LoadedInstance } from '../lib/config/types';
import { MastodonEnv } from '../lib/mastodon/mastodon-env';
import { SearchDeployJob } from '../lib/mastodon/search-deploy';
import { SidekiqPool } from '../lib/mastodon/sidekiq-pool';
import { MastodonStreaming } from '../lib/mastodon/streaming';
import { MastodonWeb } from '../lib/mastodon/web';

export interface MastodonChartProps {
  readonly loaded: LoadedInstance;
}

/**
 * Mastodon's workloads in the instance namespace: the shared env ConfigMap, web (Puma), streaming,
 * one Deployment per Sidekiq pool of the queue plan, and the search index Job.
 */
export class MastodonChart extends Chart {
  public readonly env: MastodonEnv;
  public readonly web: MastodonWeb;
  public readonly streaming: MastodonStreaming;
  public readonly sidekiqPools: readonly SidekiqPool[];
  /** Present when search is configured and its deploy Job not disabled. */
  public readonly searchDeploy?: SearchDeployJob;

  constructor(scope: Construct, id: string, props: MastodonChartProps) {
    const { id: instanceId, instance, queuePlan } = props.loaded;
    super(scope, id, { namespace: instance.namespace, disableResourceNameHashes: true });
    const version = instance.mastodon.version;

    this.env = new MastodonEnv(this, 'Env', { instanceId, instance });
    this.web = new MastodonWeb(this, 'Web', { instanceId, version, env: this.env, config: instance.web });
    this.streaming = new MastodonStreaming(this, 'Streaming', { instanceId, version, env: this.env, config: instance.streaming });
    this.sidekiqPools = Object.entries(queuePlan.pools).map(([pool, config]) =>
      new SidekiqPool(this, `Sidekiq-${pool}`, { instanceId, version, env: this.env, pool, config }));
    const search = instance.search;
    if (search && search.deploy?.enabled !== false) {
      this.searchDeploy = new SearchDeployJob(this, 'SearchDeploy', { instanceId, version, env: this.env, config: search.deploy });
    }
  }
}
