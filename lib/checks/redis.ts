import { Check } from './check';
import { error } from '../core/finding';
import { REDIS_ROLES } from '../catalog/redis';
import { dragonflyResources, dragonflyResourcesProblem } from '../sizing/dragonfly';
import { ConfigProblem } from '../core/errors';
import { ConfigSource } from '../core/source';
import { InstanceConfig } from '../config/types';

/** A Dragonfly flag that carries a credential (`--requirepass=…`, `--masterauth=…`). */
const CREDENTIAL_FLAG = /^--\w*(pass|auth|secret|token)\w*=/i;

/**
 * Checks the schema cannot express: each Dragonfly's resources let it start, and its extra args
 * hold no credential (args are committed to Git; the password comes from `password`).
 */
function redisProblems(source: ConfigSource, instance: InstanceConfig): ConfigProblem[] {
  return REDIS_ROLES.flatMap(({ role }) => {
    const config = instance.redis?.[role];
    if (config?.external) return [];
    const problem = dragonflyResourcesProblem(dragonflyResources(role, config?.dragonfly?.resources));
    const args = config?.dragonfly?.args ?? [];
    return [
      ...(problem ? [source.problem(['redis', role, 'dragonfly', 'resources'], problem)] : []),
      ...args.flatMap((arg, i) => (CREDENTIAL_FLAG.test(arg)
        ? [source.problem(['redis', role, 'dragonfly', 'args', i], `${arg.split('=')[0]}=… puts a credential into Git; allowed: the password as a Secret reference in redis.${role}.dragonfly.password`)]
        : [])),
    ];
  });
}

export const checkRedis: Check = ({ sources, instance }) => redisProblems(sources.instance, instance).map(error);
