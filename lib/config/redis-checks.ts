import { REDIS_ROLES } from '../redis/endpoint';
import { dragonflyResources, dragonflyResourcesProblem } from '../sizing/dragonfly';
import { ConfigProblem } from './errors';
import { ConfigSource } from './source';
import { InstanceConfig } from './types';

/** Checks the schema cannot express: each Dragonfly's resources let it start. */
export function checkRedis(source: ConfigSource, instance: InstanceConfig): ConfigProblem[] {
  return REDIS_ROLES.flatMap(({ role }) => {
    const config = instance.redis?.[role];
    if (config?.external) return [];
    const problem = dragonflyResourcesProblem(dragonflyResources(role, config?.dragonfly?.resources));
    return problem ? [source.problem(['redis', role, 'dragonfly', 'resources'], problem)] : [];
  });
}
