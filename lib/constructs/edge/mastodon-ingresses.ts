import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CLUSTER_ISSUER_ANNOTATION } from '../../catalog/cert-manager';
import { objectLabels } from '../common/labels';
import { EdgeBackend, EdgeRoutesProps, STREAMING_PATH } from './edge-props';

const NGINX = 'nginx.ingress.kubernetes.io';
/** Mastodon's largest upload: videos of up to 99 MiB (`video_size_limit` 103809024). */
const MAX_BODY_SIZE = '99m';
/** Streaming connections stay open for hours; nginx closes idle ones after 60 s by default. */
const STREAMING_TIMEOUT_SECONDS = '3600';

export type MastodonIngressesProps = EdgeRoutesProps;

/**
 * Two Ingresses for ingress-nginx, because its annotations apply per Ingress: `web` for `/` with
 * Mastodon's upload size, and `streaming` for `/api/v1/streaming` with long timeouts and no
 * buffering. One certificate covers every host: only `web` carries the cert-manager annotation
 * (a second one would make cert-manager fight over the same Certificate), `streaming` reuses its
 * Secret.
 * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/
 * @see https://cert-manager.io/docs/usage/ingress/
 */
export class MastodonIngresses extends Construct {
  public readonly web: k8s.KubeIngress;
  public readonly streaming: k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: MastodonIngressesProps) {
    super(scope, id);
    const { hosts } = props;
    const tls = [{ hosts: [...hosts.all], secretName: props.tlsSecretName }];
    const rules = (hostNames: readonly string[], path: string, backend: EdgeBackend): k8s.IngressRule[] => hostNames.map((host) => ({
      host,
      http: {
        paths: [{
          path,
          pathType: 'Prefix',
          backend: { service: { name: backend.service.name, port: { number: backend.port } } },
        }],
      },
    }));

    this.web = new k8s.KubeIngress(this, 'Web', {
      metadata: {
        name: 'web',
        labels: objectLabels(props.instanceId, 'web'),
        annotations: {
          [CLUSTER_ISSUER_ANNOTATION]: props.issuerName,
          [`${NGINX}/proxy-body-size`]: MAX_BODY_SIZE,
        },
      },
      spec: { ingressClassName: props.className, tls, rules: rules(hosts.web, '/', props.web) },
    });

    this.streaming = new k8s.KubeIngress(this, 'Streaming', {
      metadata: {
        name: 'streaming',
        labels: objectLabels(props.instanceId, 'streaming'),
        annotations: {
          [`${NGINX}/proxy-read-timeout`]: STREAMING_TIMEOUT_SECONDS,
          [`${NGINX}/proxy-send-timeout`]: STREAMING_TIMEOUT_SECONDS,
          // Events must reach the client as they happen.
          [`${NGINX}/proxy-buffering`]: 'off',
        },
      },
      spec: { ingressClassName: props.className, tls, rules: rules(hosts.all, STREAMING_PATH, props.streaming) },
    });
  }
}
