import { DOKS_NODE_POOL_LABEL } from '../catalog/doks';
import { RedisRole, REDIS_ROLES } from '../catalog/redis';
import { InstanceConfig, QueuePlan } from '../config/types';
import { NodePlacement } from '../core/placement';

type PlacementConfig = NonNullable<InstanceConfig['placement']>;

/** Where each component's pods run, resolved: `instance` for the jobs and backups. */
export interface PlacementsModel {
  readonly instance: NodePlacement;
  readonly web: NodePlacement;
  readonly streaming: NodePlacement;
  /** By Sidekiq pool name. */
  readonly sidekiq: Readonly<Record<string, NodePlacement>>;
  readonly dragonfly: Readonly<Record<RedisRole, NodePlacement>>;
}

/** A placement's own nodeSelector: its `nodePool` as the DOKS node-pool label, then its nodeSelector. */
function selectorOf(config: PlacementConfig | undefined): Record<string, string> {
  return { ...(config?.nodePool ? { [DOKS_NODE_POOL_LABEL]: config.nodePool } : {}), ...(config?.nodeSelector ?? {}) };
}

/**
 * A component's placement over the instance's: nodeSelectors merged key by key (the component's
 * wins), tolerations and node affinity replaced when the component gives them.
 */
function merged(base: PlacementConfig | undefined, own: PlacementConfig | undefined): NodePlacement {
  const nodeSelector = { ...selectorOf(base), ...selectorOf(own) };
  const tolerations = own?.tolerations ?? base?.tolerations;
  const nodeAffinity = own?.affinity?.nodeAffinity ?? base?.affinity?.nodeAffinity;
  return {
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...(tolerations ? { tolerations } : {}),
    ...(nodeAffinity ? { nodeAffinity } : {}),
  };
}

export function placementsModel(instance: InstanceConfig, queuePlan: QueuePlan): PlacementsModel {
  const base = instance.placement;
  return {
    instance: merged(base, undefined),
    web: merged(base, instance.web?.placement),
    streaming: merged(base, instance.streaming?.placement),
    sidekiq: Object.fromEntries(Object.entries(queuePlan.pools).map(([pool, config]) => [pool, merged(base, config.placement)])),
    dragonfly: Object.fromEntries(REDIS_ROLES.map(({ role }) => [role, merged(base, instance.redis?.[role]?.dragonfly?.placement)])) as Record<RedisRole, NodePlacement>,
  };
}
