import { k8s } from 'cdk8s-plus-28';
import { EdgeHosts } from '../../core/hosts';

/** A Service and port the edge routes to (Mastodon's web or streaming). */
export interface EdgeBackend {
  readonly service: k8s.KubeService;
  readonly port: number;
}

/** Mastodon's streaming API lives under this path on every host. */
export const STREAMING_PATH = '/api/v1/streaming';

/** What either kind of edge is built from. */
export interface EdgeRoutesProps {
  readonly instanceId: string;
  /** The IngressClass or GatewayClass. */
  readonly className: string;
  readonly hosts: EdgeHosts;
  /** The ClusterIssuer that signs the certificate. */
  readonly issuerName: string;
  /** The Secret holding the certificate of every host. */
  readonly tlsSecretName: string;
  readonly web: EdgeBackend;
  readonly streaming: EdgeBackend;
}
