import { Construct } from 'constructs';
import { Gateway, GatewaySpecListeners, GatewaySpecListenersAllowedRoutesNamespacesFrom, GatewaySpecListenersTlsMode } from '../../../imports/gateway-gateway.networking.k8s.io';
import {
  HttpRoute,
  HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesMatchesPathType,
} from '../../../imports/httproute-gateway.networking.k8s.io';
import { CLUSTER_ISSUER_ANNOTATION } from '../../catalog/cert-manager';
import { Component, objectLabels } from '../common/labels';
import { EdgeBackend, EdgeRoutesProps, STREAMING_PATH } from './edge-props';

const HTTP_PORT = 80;
const HTTPS_PORT = 443;
/**
 * Each host has an HTTPS listener named after it (a valid listener name once lower-cased), so that
 * routes attach to hosts, and cert-manager takes each listener's hostname into the certificate.
 */
function listenerName(host: string): string {
  return host;
}

/** Routes attach only to listeners of their own namespace: the Gateway is the instance's own. */
const SAME_NAMESPACE = { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } };

export interface MastodonGatewayProps extends EdgeRoutesProps {
  /** The Gateway's name (cert-manager's HTTP-01 solver routes attach to it too). */
  readonly gatewayName: string;
  /** The plain-HTTP listener: redirects to HTTPS, and HTTP-01 challenges. */
  readonly httpListener: string;
  /** Annotations of the load balancer Service the implementation creates. @default none */
  readonly loadBalancerAnnotations?: Readonly<Record<string, string>>;
}

/**
 * A Gateway API v1 Gateway for the instance (on DOKS, the managed Cilium Gateway provisions a
 * DigitalOcean load balancer for it) with an HTTPS listener per host, all sharing one certificate
 * that cert-manager's gateway-shim issues from the annotation (cert-manager needs
 * `config.enableGatewayAPI`). HTTPRoutes send `/` to web and `/api/v1/streaming` to streaming,
 * and plain HTTP to HTTPS. Cilium turns Envoy's 15 s route timeout off (cilium/cilium#31514), so
 * streaming connections need no timeout settings.
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 * @see https://cert-manager.io/docs/usage/gateway/
 */
export class MastodonGateway extends Construct {
  public readonly gateway: Gateway;
  public readonly routes: readonly HttpRoute[];

  constructor(scope: Construct, id: string, props: MastodonGatewayProps) {
    super(scope, id);
    const { hosts } = props;
    const https = (host: string): GatewaySpecListeners => ({
      name: listenerName(host),
      hostname: host,
      port: HTTPS_PORT,
      protocol: 'HTTPS',
      tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: props.tlsSecretName }] },
      allowedRoutes: SAME_NAMESPACE,
    });
    const annotations = props.loadBalancerAnnotations;

    this.gateway = new Gateway(this, 'Resource', {
      metadata: { name: props.gatewayName, labels: objectLabels(props.instanceId, 'edge'), annotations: { [CLUSTER_ISSUER_ANNOTATION]: props.issuerName } },
      spec: {
        gatewayClassName: props.className,
        infrastructure: annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : undefined,
        listeners: [
          // Plain HTTP: HTTP-01 challenges (cert-manager attaches its own route) and the redirect.
          { name: props.httpListener, port: HTTP_PORT, protocol: 'HTTP', allowedRoutes: SAME_NAMESPACE },
          ...hosts.all.map(https),
        ],
      },
    });

    const route = (name: string, component: Component, hostnames: readonly string[], path: string, backend: EdgeBackend) => new HttpRoute(this, name, {
      metadata: { name, labels: objectLabels(props.instanceId, component) },
      spec: {
        parentRefs: hostnames.map((host) => ({ name: props.gatewayName, sectionName: listenerName(host) })),
        hostnames: [...hostnames],
        rules: [{
          matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: path } }],
          backendRefs: [{ name: backend.service.name, port: backend.port }],
        }],
      },
    });
    const redirect = new HttpRoute(this, 'https-redirect', {
      metadata: { name: 'https-redirect', labels: objectLabels(props.instanceId, 'edge') },
      spec: {
        parentRefs: [{ name: props.gatewayName, sectionName: props.httpListener }],
        hostnames: [...hosts.all],
        rules: [{
          filters: [{
            type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
            requestRedirect: {
              scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
              statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
            },
          }],
        }],
      },
    });
    this.routes = [
      route('web', 'web', hosts.web, '/', props.web),
      route('streaming', 'streaming', hosts.all, STREAMING_PATH, props.streaming),
      redirect,
    ];
  }
}
