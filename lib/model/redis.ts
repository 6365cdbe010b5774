import { ExternalRedisConfig } from '../config/types';
import { RedisEndpoint } from '../catalog/redis';
import { DEFAULTS, Defaults } from './defaults';

/** The endpoint of a server configured as `external`. */
export function externalEndpoint(config: ExternalRedisConfig, d: Defaults = DEFAULTS): RedisEndpoint {
  return {
    host: config.host,
    port: config.port ?? d.externalRedis.port,
    db: config.db ?? d.externalRedis.db,
    tls: config.tls ?? d.externalRedis.tls,
    password: config.password,
    description: `external Redis ${config.host}`,
  };
}
