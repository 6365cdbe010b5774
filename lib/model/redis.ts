import { ExternalRedisConfig } from '../config/types';
import { RedisEndpoint, REDIS_PORT } from '../catalog/redis';

/** The endpoint of a server configured as `external`. */
export function externalEndpoint(config: ExternalRedisConfig): RedisEndpoint {
  return {
    host: config.host,
    port: config.port ?? REDIS_PORT,
    db: config.db ?? 0,
    tls: config.tls ?? false,
    password: config.password,
    description: `external Redis ${config.host}`,
  };
}
