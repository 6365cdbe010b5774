import { InstanceConfig, QueuePlan } from '../config/types';
import { OPERATOR_IDS, OperatorId, PlatformNeeds, requiredOperators } from '../catalog/operators';
import { REDIS_ROLES } from '../catalog/redis';
import { DEFAULTS, Defaults } from './defaults';

/** What the instance needs from the cluster: what its config renders that an operator serves. */
export function platformNeeds(instance: InstanceConfig, queuePlan: QueuePlan, d: Defaults = DEFAULTS): PlatformNeeds {
  return {
    edge: instance.edge?.kind,
    loadBalancerAnnotations: instance.edge?.loadBalancerAnnotations,
    certManager: instance.certManager !== undefined,
    dragonfly: REDIS_ROLES.some(({ role }) => !instance.redis?.[role]?.external),
    sidekiqAutoscaling: Object.values(queuePlan.pools).some((pool) => pool.autoscaling !== undefined),
    secretsDelivery: instance.secrets?.delivery ?? d.secrets.delivery,
  };
}

/**
 * The operators this instance installs: those it needs (`auto`), none (another instance or the
 * cluster admin installs them), or the configured list, in install order.
 */
export function installedOperators(instance: InstanceConfig, queuePlan: QueuePlan, d: Defaults = DEFAULTS): OperatorId[] {
  const choice = instance.argocd.operators ?? d.argocd.operators;
  if (choice === 'none') return [];
  if (choice === 'auto') return requiredOperators(platformNeeds(instance, queuePlan, d));
  return OPERATOR_IDS.filter((id) => choice.includes(id));
}
