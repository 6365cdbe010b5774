import { Defaults } from './defaults';
import { InstanceConfig } from '../config/types';
import { REDIS_PORT, REDIS_ROLES } from '../catalog/redis';
import { RedisRoleModel } from './dragonfly';
import { RedisRole } from '../catalog/redis';

/**
 * The TCP ports of the services an instance is configured to use (PostgreSQL pool and direct,
 * every Redis role's endpoint, SMTP and the bulk SMTP server, search), which may live on private
 * addresses (a VPC), sorted and unique.
 */
export function servicePorts(instance: InstanceConfig, redis: Readonly<Record<RedisRole, RedisRoleModel>>, d: Defaults): number[] {
  const db = instance.database;
  const ports = [
    db.pool.port ?? d.database.poolPort,
    db.direct.port ?? d.database.directPort,
    // A Dragonfly's Service port is Redis's.
    ...REDIS_ROLES.map(({ role }) => { const served = redis[role]; return 'external' in served ? served.external.port : REDIS_PORT; }),
    ...(instance.smtp ? [instance.smtp.port ?? d.smtp.port] : []),
    ...(instance.smtp?.bulk ? [instance.smtp.bulk.port ?? d.smtp.port] : []),
    ...(instance.search ? [instance.search.port ?? d.search.port] : []),
  ];
  return [...new Set(ports)].sort((a, b) => a - b);
}
