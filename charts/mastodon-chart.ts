import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { SidekiqAutoscaling } from '../lib/autoscaling/sidekiq-autoscaling';
import { LoadedInstance } from '../lib/config/types';
import { RedisEndpoints } from '../lib/redis/endpoint';
import { MastodonEnv } from '../lib/mastodon/mastodon-env';
import { SidekiqPool } from '../lib/mastodon/sidekiq-pool';
import { MastodonStreaming } from '../lib/mastodon/streaming';
import { MastodonWeb } from '../lib/mastodon/web';

export interface MastodonChartProps {
  readonly loaded: LoadedInstance;
  /** Where each Redis role is reached (from the data chart). */
  readonly redis: RedisEndpoints;
}

/**
 * Mastodon's workloads in the instance namespace: the shared env ConfigMap, web (Puma), streaming,
 * one Deployment per Sidekiq pool of the queue plan, and KEDA autoscaling for the pools that ask.
 */
export class MastodonChart extends Chart {
  public readonly env: MastodonEnv;
  public readonly web: MastodonWeb;
  public readonly streaming: MastodonStreaming;
  public readonly sidekiqPools: readonly SidekiqPool[];
  public readonly sidekiqAutoscaling: SidekiqAutoscaling;

  constructor(scope: Construct, id: string, props: MastodonChartProps) {
    const { id: instanceId, instance, queuePlan } = props.loaded;
    super(scope, id, { namespace: instance.namespace, disableResourceNameHashes: true });
    const version = instance.mastodon.version;

    this.env = new MastodonEnv(this, 'Env', { instanceId, instance, redis: props.redis });
    this.web = new MastodonWeb(this, 'Web', { instanceId, version, env: this.env, config: instance.web });
    this.streaming = new MastodonStreaming(this, 'Streaming', { instanceId, version, env: this.env, config: instance.streaming });
    this.sidekiqPools = Object.entries(queuePlan.pools).map(([pool, config]) =>
      new SidekiqPool(this, `Sidekiq-${pool}`, { instanceId, version, env: this.env, pool, config }));
    this.sidekiqAutoscaling = new SidekiqAutoscaling(this, 'SidekiqAutoscaling', {
      instanceId,
      pools: this.sidekiqPools,
      redis: props.redis.sidekiq,
      redisNamespace: instance.mastodon.extraEnv?.REDIS_NAMESPACE,
    });
  }
}
