import { Construct } from 'constructs';
import { ReplicaPlan } from '../../sizing/replicas';
import { WorkloadRef } from '../common/workload-ref';
import { WorkloadAutoscaler } from './autoscaler';
import { WorkloadDisruptionBudget } from './disruption-budget';

/** Web or streaming: a fixed or autoscaled number of pods. */
export interface FrontendRef {
  readonly workload: WorkloadRef;
  readonly replicaPlan: ReplicaPlan;
}

/** A Sidekiq pool: a disruption budget only when it runs more than one pod. */
export interface PoolRef {
  readonly workload: WorkloadRef;
  readonly replicas: number;
}

export interface MastodonAvailabilityProps {
  readonly web: FrontendRef;
  readonly streaming: FrontendRef;
  readonly sidekiqPools: readonly PoolRef[];
}

/**
 * What keeps an instance up through drains and load: a PodDisruptionBudget for web, streaming and
 * every Sidekiq pool of more than one pod (a single scheduler pod must stay evictable), and the
 * opt-in HorizontalPodAutoscalers of web and streaming.
 */
export class MastodonAvailability extends Construct {
  public readonly disruptionBudgets: readonly WorkloadDisruptionBudget[];
  public readonly autoscalers: readonly WorkloadAutoscaler[];

  constructor(scope: Construct, id: string, props: MastodonAvailabilityProps) {
    super(scope, id);
    const frontends = [props.web, props.streaming];
    const pools = props.sidekiqPools.filter((p) => p.replicas > 1);
    this.disruptionBudgets = [...frontends, ...pools].map((w) => new WorkloadDisruptionBudget(this, `Budget-${w.workload.name}`, { workload: w.workload }));
    this.autoscalers = frontends.flatMap((w) => (w.replicaPlan.autoscaling
      ? [new WorkloadAutoscaler(this, `Autoscaler-${w.workload.name}`, { workload: w.workload, autoscaling: w.replicaPlan.autoscaling })]
      : []));
  }
}
