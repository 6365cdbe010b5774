import { k8s } from 'cdk8s-plus-28';
import { NAMESPACE_NAME_LABEL } from '../../catalog/network';

/** A source the edge's traffic comes from: a namespace (and pods in it), or an address range. */
export interface NetworkPeer {
  readonly namespace?: string;
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly cidr?: string;
}


/**
 * The `from` of an ingress rule admitting `edge`; undefined (no `from`: every source) for `any`.
 * Cilium's Gateway API and Ingress proxy through Envoy with the reserved `ingress` identity, which
 * no Kubernetes NetworkPolicy peer selects, so with them only `any` lets the traffic in.
 * @see https://docs.cilium.io/en/stable/network/servicemesh/ingress-and-network-policy/
 */
export function edgePeers(edge: 'any' | readonly NetworkPeer[]): k8s.NetworkPolicyPeer[] | undefined {
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
