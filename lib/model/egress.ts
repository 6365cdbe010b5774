import { DEFAULT_PORTS } from '../catalog/ports';
import { InstanceConfig } from '../config/types';
import { REDIS_PORT, REDIS_ROLES } from '../catalog/redis';
import { RedisRoleModel } from './dragonfly';
import { RedisRole } from '../catalog/redis';

/**
 * The TCP ports of the services an instance is configured to use (PostgreSQL pool and direct,
 * every Redis role's endpoint, SMTP and the bulk SMTP server, search), which may live on private
 * addresses (a VPC), sorted and unique.
 */
export function servicePorts(instance: InstanceConfig, redis: Readonly<Record<RedisRole, RedisRoleModel>>): number[] {
  const db = instance.database;
  const ports = [
    db.pool.port ?? DEFAULT_PORTS.databasePool,
    db.direct.port ?? DEFAULT_PORTS.databaseDirect,
    // A Dragonfly's Service port is Redis's.
    ...REDIS_ROLES.map(({ role }) => { const served = redis[role]; return 'external' in served ? served.external.port : REDIS_PORT; }),
    ...(instance.smtp ? [instance.smtp.port ?? DEFAULT_PORTS.smtp] : []),
    ...(instance.smtp?.bulk ? [instance.smtp.bulk.port ?? DEFAULT_PORTS.smtp] : []),
    ...(instance.search ? [instance.search.port ?? DEFAULT_PORTS.search] : []),
  ];
  return [...new Set(ports)].sort((a, b) => a - b);
}
