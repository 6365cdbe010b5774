import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { objectLabels } from '../common/labels';
import { KEDA_NAMESPACE, KEDA_OPERATOR_POD_LABELS } from '../../catalog/keda';

export interface KedaRedisAccessProps {
  readonly instanceId: string;
  /** The object's name. */
  readonly name: string;
  /** The labels of the Redis server's pods. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** The port the pods serve Redis on. */
  readonly port: number;
}

/**
 * Lets the KEDA operator reach a Redis server of the instance namespace. The Dragonfly operator's
 * own NetworkPolicy admits only pods of the same namespace on the Redis port, and policies add up,
 * so this one opens the port to the operator's pods in KEDA's namespace as well.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class KedaRedisAccess extends Construct {
  constructor(scope: Construct, id: string, props: KedaRedisAccessProps) {
    super(scope, id);
    new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name, labels: objectLabels(props.instanceId, 'sidekiq') },
      spec: {
        podSelector: { matchLabels: { ...props.podSelector } },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': KEDA_NAMESPACE } },
            podSelector: { matchLabels: { ...KEDA_OPERATOR_POD_LABELS } },
          }],
          ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(props.port) }],
        }],
      },
    });
  }
}
