import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DragonflyStore } from '../constructs/dragonfly/dragonfly-store';
import { RedisEndpoint, RedisEndpoints, RedisRole, REDIS_ROLES } from '../catalog/redis';
import { InstanceModel } from '../model/types';

export interface DataChartProps {
  readonly model: InstanceModel;
}

/**
 * The instance's Redis roles, in the instance namespace (the Dragonfly operator's NetworkPolicy
 * admits only clients of the same namespace): a Dragonfly per role unless the role is `external`.
 */
export class DataChart extends Chart {
  /** Where each role is reached; the Mastodon env builds REDIS_URL and friends from these. */
  public readonly redis: RedisEndpoints;
  public readonly dragonflies: readonly DragonflyStore[];

  constructor(scope: Construct, id: string, props: DataChartProps) {
    const { instanceId, namespace, redis } = props.model;
    super(scope, id, { namespace, disableResourceNameHashes: true });
    const dragonflies: DragonflyStore[] = [];
    const endpoint = (role: RedisRole): RedisEndpoint => {
      const served = redis[role];
      if ('external' in served) return served.external;
      const store = new DragonflyStore(this, `Dragonfly-${role}`, { instanceId, ...served.dragonfly, placement: props.model.placement.dragonfly[role] });
      dragonflies.push(store);
      return store.endpoint;
    };
    this.redis = Object.fromEntries(REDIS_ROLES.map(({ role }) => [role, endpoint(role)])) as Record<RedisRole, RedisEndpoint>;
    this.dragonflies = dragonflies;
  }
}
