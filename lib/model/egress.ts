import { DEFAULT_PORTS } from '../catalog/ports';
import { InstanceConfig } from '../config/types';
import { RedisEndpoints, REDIS_ROLES } from '../catalog/redis';

/** HTTP and HTTPS: federation, object storage, push, link previews. */
export const WEB_PORTS = [80, 443] as const;
export const DNS_PORT = 53;
/** Every IPv4 and IPv6 address. */
export const ANYWHERE = ['0.0.0.0/0', '::/0'] as const;
/** Link-local: the cloud metadata service (169.254.169.254) must never be reachable through SSRF. */
export const LINK_LOCAL = { v4: '169.254.0.0/16', v6: 'fe80::/10' } as const;
/** Private ranges: federation and media fetches go to public addresses only. */
export const PRIVATE = { v4: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], v6: ['fc00::/7'] } as const;

/**
 * The TCP ports of the services an instance is configured to use (PostgreSQL pool and direct,
 * every Redis role's endpoint, SMTP and the bulk SMTP server, search), which may live on private
 * addresses (a VPC), sorted and unique.
 */
export function servicePorts(instance: InstanceConfig, redis: RedisEndpoints): number[] {
  const db = instance.database;
  const ports = [
    db.pool.port ?? DEFAULT_PORTS.databasePool,
    db.direct.port ?? DEFAULT_PORTS.databaseDirect,
    ...REDIS_ROLES.map(({ role }) => redis[role].port),
    ...(instance.smtp ? [instance.smtp.port ?? DEFAULT_PORTS.smtp] : []),
    ...(instance.smtp?.bulk ? [instance.smtp.bulk.port ?? DEFAULT_PORTS.smtp] : []),
    ...(instance.search ? [instance.search.port ?? DEFAULT_PORTS.search] : []),
  ];
  return [...new Set(ports)].sort((a, b) => a - b);
}
