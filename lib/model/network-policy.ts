import { InstanceConfig, NetworkPeerConfig } from '../config/types';
import { Defaults } from './defaults';
import { RedisRoleModel } from './dragonfly';
import { servicePorts } from './egress';
import { solvesHttp01 } from './http01';
import { RedisRole } from '../catalog/redis';

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
