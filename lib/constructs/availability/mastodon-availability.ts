import { Construct } from 'constructs';
import { SidekiqPool } from '../mastodon/sidekiq-pool';
import { MastodonStreaming } from '../mastodon/streaming';
import { MastodonWeb } from '../mastodon/web';
import { WorkloadAutoscaler } from './autoscaler';
import { WorkloadDisruptionBudget } from './disruption-budget';

export interface MastodonAvailabilityProps {
  readonly web: MastodonWeb;
  readonly streaming: MastodonStreaming;
  readonly sidekiqPools: readonly SidekiqPool[];
}

/**
 * What keeps an instance up through drains and load: a PodDisruptionBudget for web, streaming and
 * every Sidekiq pool of more than one pod (a single scheduler pod must stay evictable), and the
 * opt-in HorizontalPodAutoscalers of web and streaming.
 */
export class MastodonAvailability extends Construct {
  public readonly budgets: readonly WorkloadDisruptionBudget[];
  public readonly autoscalers: readonly WorkloadAutoscaler[];

  constructor(scope: Construct, id: string, props: MastodonAvailabilityProps) {
    super(scope, id);
    const frontends = [props.web, props.streaming];
    const pools = props.sidekiqPools.filter((p) => p.replicas > 1);
    this.budgets = [...frontends, ...pools].map((w) => new WorkloadDisruptionBudget(this, `Budget-${w.workload.name}`, { workload: w.workload }));
    this.autoscalers = frontends.flatMap((w) => (w.replicaPlan.autoscaling
      ? [new WorkloadAutoscaler(this, `Autoscaler-${w.workload.name}`, { workload: w.workload, autoscaling: w.replicaPlan.autoscaling })]
      : []));
  }
}
