import { k8s } from 'cdk8s-plus-28';
import { NetworkPeerConfig } from '../config/types';

/** The edge in front of an Ingress by default: the ingress-nginx controller's namespace. */
export const DEFAULT_INGRESS_EDGE: readonly NetworkPeerConfig[] = [{ namespace: 'ingress-nginx' }];

/**
 * Who may reach web and streaming when `networkPolicy.edge` is not set: the ingress-nginx
 * namespace, or any source behind a Gateway (see `edgePeers`: Cilium's Envoy has no selectable identity).
 */
export function defaultEdge(kind: 'ingress' | 'gateway' | undefined): 'any' | readonly NetworkPeerConfig[] {
  return kind === 'gateway' ? 'any' : DEFAULT_INGRESS_EDGE;
}
/** Set by Kubernetes on every namespace (since 1.22), so a namespace can be selected by name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The `from` of an ingress rule admitting `edge`; undefined (no `from`: every source) for `any`.
 * Cilium's Gateway API and Ingress proxy through Envoy with the reserved `ingress` identity, which
 * no Kubernetes NetworkPolicy peer selects, so with them only `any` lets the traffic in.
 * @see https://docs.cilium.io/en/stable/network/servicemesh/ingress-and-network-policy/
 */
export function edgePeers(edge: 'any' | readonly NetworkPeerConfig[]): k8s.NetworkPolicyPeer[] | undefined {
  if (edge === 'any') return undefined;
  return edge.map((peer) => (peer.cidr
    ? { ipBlock: { cidr: peer.cidr } }
    : {
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace as string } },
      podSelector: peer.podLabels ? { matchLabels: { ...peer.podLabels } } : undefined,
    }));
}

/** Pods of the kube-system namespace (CoreDNS). */
export function kubeSystemPeer(): k8s.NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } } };
}
