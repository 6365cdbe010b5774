import { InstanceConfig, NetworkPeerConfig } from '../config/types';
import { Defaults } from './defaults';
import { RedisRoleModel } from './dragonfly';
import { solvesHttp01 } from './cert-manager';
import { RedisRole, REDIS_PORT, REDIS_ROLES } from '../catalog/redis';

/** The instance namespace's NetworkPolicies, every default resolved. */
export interface NetworkPolicyModel {
  /** Who may reach web and streaming: `any`, or these sources. */
  readonly edge: 'any' | readonly NetworkPeerConfig[];
  readonly egress: 'open' | 'restricted';
  /** The TCP ports of the services the instance uses, which a restricted egress opens. */
  readonly servicePorts: readonly number[];
  /** Whether cert-manager runs HTTP-01 solver pods in the namespace, which the edge must reach. */
  readonly acmeHttp01Solvers: boolean;
}

export function networkPolicyModel(instance: InstanceConfig, redis: Readonly<Record<RedisRole, RedisRoleModel>>, d: Defaults): NetworkPolicyModel {
  return {
    // Behind a Gateway, any source (see edgePeers: Cilium's Envoy has no selectable identity).
    edge: instance.networkPolicy?.edge ?? (instance.edge?.kind === 'gateway' ? 'any' : d.networkPolicy.ingressEdge),
    egress: instance.networkPolicy?.egress ?? d.networkPolicy.egress,
    servicePorts: servicePorts(instance, redis, d),
    acmeHttp01Solvers: solvesHttp01(instance, d),
  };
}

/**
 * The TCP ports of the services an instance is configured to use (PostgreSQL pool and direct,
 * every Redis role's endpoint, SMTP and the bulk SMTP server, search, the tracing collector), which
 * may live on private addresses (a VPC), sorted and unique.
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
    ...(instance.tracing ? [urlPort(instance.tracing.endpoint)] : []),
  ];
  return [...new Set(ports)].sort((a, b) => a - b);
}

/** The TCP port of an http(s) URL: its own, or the scheme's (443, 80). */
function urlPort(url: string): number {
  const u = new URL(url);
  return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
}
