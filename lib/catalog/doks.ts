/**
 * The GatewayClass of DOKS's managed Gateway API (Cilium; clusters on Kubernetes 1.33+ with
 * VPC-native networking). Check yours with `kubectl get gatewayclass`.
 * @see https://docs.digitalocean.com/products/kubernetes/how-to/use-gateway-api/
 */
export const DOKS_GATEWAY_CLASS = 'cilium';

/**
 * The label DOKS puts on every node of a node pool, valued with the pool's name: the key a
 * nodeSelector uses to put pods on one pool (DigitalOcean docs: "The Managed Elements of
 * DigitalOcean Kubernetes", and https://docs.digitalocean.com/products/kubernetes/details/limits/).
 */
export const DOKS_NODE_POOL_LABEL = 'doks.digitalocean.com/node-pool';
