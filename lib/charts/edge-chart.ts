import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterIssuer } from '../../imports/clusterissuer-cert-manager.io';
import { LoadedInstance } from '../config/types';
import { EdgeBackend } from '../constructs/edge/edge-props';
import { edgeClassName, GATEWAY_NAME, HTTP_LISTENER, tlsSecretName } from '../model/edge';
import { edgeHosts } from '../model/hosts';
import { MastodonGateway } from '../constructs/edge/mastodon-gateway';
import { MastodonIngresses } from '../constructs/edge/mastodon-ingresses';

export interface EdgeChartProps {
  readonly loaded: LoadedInstance;
  /** Mastodon's web Service and port (from the mastodon chart). */
  readonly web: EdgeBackend;
  /** Mastodon's streaming Service and port. */
  readonly streaming: EdgeBackend;
  /** The ClusterIssuer that signs the instance's certificate (from the cluster chart). @default none: no edge */
  readonly issuer?: ClusterIssuer;
}

/** How traffic reaches the instance: an Ingress pair or a Gateway with HTTPRoutes, as configured. */
export class EdgeChart extends Chart {
  /** @default none, without an edge section */
  public readonly ingresses?: MastodonIngresses;
  /** @default none, unless the edge is a gateway */
  public readonly gateway?: MastodonGateway;

  constructor(scope: Construct, id: string, props: EdgeChartProps) {
    const { id: instanceId, instance } = props.loaded;
    super(scope, id, { namespace: instance.namespace, disableResourceNameHashes: true });
    const edge = instance.edge;
    // Checked when loading: an edge comes with certManager, hence an issuer.
    if (!edge || !props.issuer) return;
    const common = {
      instanceId,
      className: edgeClassName(edge),
      hosts: edgeHosts(instance),
      issuerName: props.issuer.name,
      tlsSecretName: tlsSecretName(instanceId, edge),
      web: props.web,
      streaming: props.streaming,
    };
    if (edge.kind === 'ingress') {
      this.ingresses = new MastodonIngresses(this, 'Ingress', common);
    } else {
      this.gateway = new MastodonGateway(this, 'Gateway', { ...common, gatewayName: GATEWAY_NAME, httpListener: HTTP_LISTENER, loadBalancerAnnotations: edge.loadBalancerAnnotations });
    }
  }
}
