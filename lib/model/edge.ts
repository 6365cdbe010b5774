import { AcmeEnvironment, EdgeConfig, InstanceConfig } from '../config/types';
import { EdgeHosts } from '../core/hosts';
import { edgeHosts } from './hosts';
import { DEFAULTS, Defaults, DERIVED } from './defaults';

/** The instance's Gateway (one per instance namespace). */
export const GATEWAY_NAME = 'mastodon';
/** The Gateway's plain-HTTP listener: HTTP-01 challenges and the redirect to HTTPS. */
export const HTTP_LISTENER = 'http';

/** The IngressClass or GatewayClass of an edge. */
export function edgeClassName(edge: EdgeConfig, d: Defaults = DEFAULTS): string {
  return edge.className ?? (edge.kind === 'ingress' ? d.edge.ingressClass : d.edge.gatewayClass);
}

/** The Secret holding the instance's certificate. */
export function tlsSecretName(instanceId: string, edge: EdgeConfig): string {
  return edge.tls?.secretName ?? DERIVED.tlsSecretName(instanceId);
}

/** The Let's Encrypt environment whose ClusterIssuer signs the certificate. */
export function edgeIssuerEnvironment(edge: EdgeConfig, d: Defaults = DEFAULTS): AcmeEnvironment {
  return edge.tls?.issuer ?? d.edge.tlsIssuer;
}

/** The instance's edge, every default resolved. */
export interface EdgeModel {
  readonly kind: 'ingress' | 'gateway';
  /** The IngressClass or GatewayClass. */
  readonly className: string;
  readonly hosts: EdgeHosts;
  /** The Secret holding the certificate of every host. */
  readonly tlsSecretName: string;
  /** The Let's Encrypt environment whose ClusterIssuer signs it. */
  readonly issuerEnvironment: AcmeEnvironment;
  /** The Gateway's name and plain-HTTP listener (a gateway edge). */
  readonly gatewayName: string;
  readonly httpListener: string;
  /** @default none */
  readonly loadBalancerAnnotations?: Readonly<Record<string, string>>;
}

/** The edge, or none without an edge section. */
export function edgeModel(instanceId: string, instance: InstanceConfig, d: Defaults = DEFAULTS): EdgeModel | undefined {
  const edge = instance.edge;
  if (!edge) return undefined;
  return {
    kind: edge.kind,
    className: edgeClassName(edge, d),
    hosts: edgeHosts(instance),
    tlsSecretName: tlsSecretName(instanceId, edge),
    issuerEnvironment: edgeIssuerEnvironment(edge, d),
    gatewayName: GATEWAY_NAME,
    httpListener: HTTP_LISTENER,
    loadBalancerAnnotations: edge.loadBalancerAnnotations,
  };
}
