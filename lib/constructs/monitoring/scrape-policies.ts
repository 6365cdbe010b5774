import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { NAMESPACE_NAME_LABEL } from '../../catalog/network';
import { objectLabels } from '../common/labels';
import { MetricsTarget } from './metrics-target';

export interface ScrapePoliciesProps {
  readonly instanceId: string;
  readonly targets: readonly MetricsTarget[];
  /** The Prometheus pods: those with `podLabels` in `namespace`, both at once. */
  readonly scraper: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
}

/**
 * One NetworkPolicy per scraped workload, `allow-scrape-<workload>`: the scraper's pods may reach
 * that workload's metrics port, nothing else. The namespace and pod selectors sit in ONE `from`
 * element, so both must match; as two elements they would admit every pod of the scraper's
 * namespace, and every pod with those labels anywhere.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors
 */
export class ScrapePolicies extends Construct {
  public readonly policies: readonly k8s.KubeNetworkPolicy[];

  constructor(scope: Construct, id: string, props: ScrapePoliciesProps) {
    super(scope, id);
    const labels = objectLabels(props.instanceId, 'network');
    const scraper: k8s.NetworkPolicyPeer = {
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.scraper.namespace } },
      podSelector: { matchLabels: { ...props.scraper.podLabels } },
    };
    this.policies = props.targets.map((t) => {
      const name = `allow-scrape-${t.name}`;
      return new k8s.KubeNetworkPolicy(this, name, {
        metadata: { name, labels },
        spec: {
          podSelector: { matchLabels: { ...t.selector } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [scraper], ports: [{ port: k8s.IntOrString.fromNumber(t.port.number), protocol: 'TCP' }] }],
        },
      });
    });
  }
}
