import { Check } from './check';
import { error, Finding } from '../core/finding';
import { ConfigSource } from '../core/source';
import { QueuePlan } from '../config/types';

/** Checks the schema cannot express: an autoscaling pool can grow beyond its `replicas`. */
function autoscalingFindings(plan: QueuePlan, source: ConfigSource): Finding[] {
  return Object.entries(plan.pools).flatMap(([pool, { replicas, autoscaling }]) => (
    autoscaling && autoscaling.maxReplicas <= replicas
      ? [error(source.problem(['pools', pool, 'autoscaling', 'maxReplicas'], `${autoscaling.maxReplicas} is not allowed: it must be more than the pool's replicas (${replicas}), the fewest pods autoscaling keeps; allowed: more than ${replicas} and at most 100, or no autoscaling for a fixed number of pods`))]
      : []));
}

export const checkSidekiqAutoscaling: Check = ({ sources, queuePlan }) => (queuePlan ? autoscalingFindings(queuePlan, sources.queuePlan) : []);
