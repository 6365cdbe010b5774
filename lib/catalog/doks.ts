/**
 * The GatewayClass of DOKS's managed Gateway API (Cilium; clusters on Kubernetes 1.33+ with
 * VPC-native networking). Check yours with `kubectl get gatewayclass`.
 * @see https://docs.digitalocean.com/products/kubernetes/how-to/use-gateway-api/
 */
export const DOKS_GATEWAY_CLASS = 'cilium';
