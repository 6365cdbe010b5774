import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterIssuer } from '../../imports/clusterissuer-cert-manager.io';
import { EdgeBackend } from '../constructs/edge/edge-props';
import { InstanceModel } from '../model/types';
import { MastodonGateway } from '../constructs/edge/mastodon-gateway';
import { MastodonIngresses } from '../constructs/edge/mastodon-ingresses';

export interface EdgeChartProps {
  readonly model: InstanceModel;
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
    const { instanceId, namespace, edge } = props.model;
    super(scope, id, { namespace, disableResourceNameHashes: true });
    // Checked when loading: an edge comes with certManager, hence an issuer.
    if (!edge || !props.issuer) return;
    const common = {
      instanceId,
      className: edge.className,
      hosts: edge.hosts,
      issuerName: props.issuer.name,
      tlsSecretName: edge.tlsSecretName,
      web: props.web,
      streaming: props.streaming,
    };
    if (edge.kind === 'ingress') {
      this.ingresses = new MastodonIngresses(this, 'Ingress', common);
    } else {
      this.gateway = new MastodonGateway(this, 'Gateway', { ...common, gatewayName: edge.gatewayName, httpListener: edge.httpListener, loadBalancerAnnotations: edge.loadBalancerAnnotations });
    }
  }
}
