import { spreadAcrossNodes } from '../core/spread';

/** DigitalOcean's annotation that turns on PROXY protocol on the load balancer. */
export const DO_PROXY_PROTOCOL_ANNOTATION = 'service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol';

/** Controller pods: two, so a node drain or a pod's restart never leaves the edge without one. */
export const INGRESS_NGINX_REPLICAS = 2;

/**
 * The pods' labels in ingress-nginx chart 4.15.1 with release name `ingress-nginx`
 * (templates/_helpers.tpl:147-150 `ingress-nginx.selectorLabels`, plus component `controller`).
 */
const CONTROLLER_SELECTOR = {
  'app.kubernetes.io/name': 'ingress-nginx',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/component': 'controller',
};

/** Whether these load balancer annotations turn PROXY protocol on. */
export function proxyProtocolEnabled(annotations: Readonly<Record<string, string>>): boolean {
  return annotations[DO_PROXY_PROTOCOL_ANNOTATION] === 'true';
}

/**
 * The `controller` values of the ingress-nginx chart (4.15.1, charts/ingress-nginx/values.yaml):
 * - `replicaCount` 2 (default 1, values.yaml:384) spread over nodes; the chart renders its PDB
 *   only with more than one replica (templates/controller-poddisruptionbudget.yaml:10), with
 *   `minAvailable: 1` (values.yaml:387) and unhealthy pods evictable so they cannot block a drain;
 * - the LoadBalancer Service's annotations (values.yaml:501) from `edge.loadBalancerAnnotations`:
 *   PROXY protocol, `do-loadbalancer-hostname`, size…; with PROXY protocol on at the load balancer,
 *   nginx must expect the header (`use-proxy-protocol`), else every request fails to parse;
 * - `externalTrafficPolicy: Local`: DigitalOcean's load balancer sends only to nodes running a
 *   controller pod and the client address survives without PROXY protocol too;
 * - the admission webhook timeout DigitalOcean's manifest uses (29 s).
 */
export function ingressNginxControllerValues(annotations: Readonly<Record<string, string>>): Record<string, unknown> {
  const proxyProtocol = proxyProtocolEnabled(annotations);
  return {
    replicaCount: INGRESS_NGINX_REPLICAS,
    minAvailable: 1,
    unhealthyPodEvictionPolicy: 'AlwaysAllow',
    topologySpreadConstraints: spreadAcrossNodes(CONTROLLER_SELECTOR),
    service: {
      externalTrafficPolicy: 'Local',
      ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
    },
    ...(proxyProtocol ? { config: { 'use-proxy-protocol': 'true' } } : {}),
    admissionWebhooks: { timeoutSeconds: 29 },
  };
}

/** ingress-nginx's IngressClass. */
export const INGRESS_NGINX_CLASS = 'nginx';
