import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { LoadedInstance, RedisRole } from '../config/types';
import { DragonflyStore } from '../constructs/dragonfly/dragonfly-store';
import { RedisEndpoint, RedisEndpoints, REDIS_ROLES } from '../catalog/redis';
import { externalEndpoint } from '../model/redis';

export interface DataChartProps {
  readonly loaded: LoadedInstance;
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
    const { id: instanceId, instance } = props.loaded;
    super(scope, id, { namespace: instance.namespace, disableResourceNameHashes: true });
    const dragonflies: DragonflyStore[] = [];
    const endpoint = (role: RedisRole): RedisEndpoint => {
      const config = instance.redis?.[role];
      if (config?.external) return externalEndpoint(config.external);
      const store = new DragonflyStore(this, `Dragonfly-${role}`, { instanceId, role, config: config?.dragonfly });
      dragonflies.push(store);
      return store.endpoint;
    };
    this.redis = Object.fromEntries(REDIS_ROLES.map(({ role }) => [role, endpoint(role)])) as Record<RedisRole, RedisEndpoint>;
    this.dragonflies = dragonflies;
  }
}
