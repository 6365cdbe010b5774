import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ACME_SOLVER_LABEL, ACME_SOLVER_LABEL_VALUE, ACME_SOLVER_PORT } from '../../catalog/cert-manager';
import { APP_NAME, LABEL_INSTANCE, LABEL_NAME, objectLabels } from '../common/labels';
import { WorkloadRef } from '../common/workload-ref';
import { dragonflyInstanceSelector } from '../common/dragonfly-labels';
import { REDIS_PORT } from '../../catalog/redis';
import { ANYWHERE, DNS_PORT, LINK_LOCAL, PRIVATE, WEB_PORTS } from '../../catalog/network';
import { edgePeers, kubeSystemPeer, NetworkPeer } from './peers';

/** A workload the edge may reach, on its container port. */
export interface EdgeTarget {
  readonly workload: WorkloadRef;
  readonly port: number;
}

export interface MastodonNetworkPoliciesProps {
  readonly instanceId: string;
  /** Web and streaming. */
  readonly edgeTargets: readonly EdgeTarget[];
  /** Whether cert-manager runs HTTP-01 solver pods in this namespace, which the edge must reach. */
  readonly acmeHttp01Solvers: boolean;
  /** Who may reach web and streaming: `any` source, or these. */
  readonly edge: 'any' | readonly NetworkPeer[];
  /** `restricted`: Mastodon pods reach only DNS, the namespace, public HTTP(S) and `servicePorts`. */
  readonly egress: 'open' | 'restricted';
  /** The TCP ports of the services the instance uses (PostgreSQL, Redis, SMTP, search), on any address. */
  readonly servicePorts: readonly number[];
}

/**
 * The NetworkPolicies of the instance namespace (DOKS' Cilium enforces them): no pod accepts a
 * connection unless a policy here allows it.
 * - The edge may reach web and streaming on their ports, and cert-manager's HTTP-01 solver pods
 *   when challenges are solved that way.
 * - Mastodon pods may reach the instance's Dragonfly pods on 6379 (selected by the operator's
 *   `app.kubernetes.io/name: dragonfly` and our instance label). Replication (replicas
 *   `SLAVEOF` the master's admin port 9999) and the operator are admitted by the operator's own
 *   policy (`networkPolicyEnabled`, on by default), which also admits same-namespace clients on 6379.
 * - Egress stays open (federation talks to the whole internet) unless `egress: restricted`.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class MastodonNetworkPolicies extends Construct {
  public readonly policies: readonly k8s.KubeNetworkPolicy[];

  constructor(scope: Construct, id: string, props: MastodonNetworkPoliciesProps) {
    super(scope, id);
    const { edge, egress } = props;
    const labels = objectLabels(props.instanceId, 'network');
    const from = edgePeers(edge);
    const mastodonPods = { matchLabels: { [LABEL_NAME]: APP_NAME, [LABEL_INSTANCE]: props.instanceId } };
    const dragonflyPods = { matchLabels: dragonflyInstanceSelector(props.instanceId) };
    const policy = (name: string, spec: k8s.NetworkPolicySpec) =>
      new k8s.KubeNetworkPolicy(this, name, { metadata: { name, labels }, spec });
    const tcp = (port: number): k8s.NetworkPolicyPort => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' });

    this.policies = [
      policy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
      ...props.edgeTargets.map((t) => policy(`allow-edge-to-${t.workload.name}`, {
        podSelector: { matchLabels: { ...t.workload.selector } },
        policyTypes: ['Ingress'],
        ingress: [{ from, ports: [tcp(t.port)] }],
      })),
      ...(props.acmeHttp01Solvers ? [policy('allow-edge-to-acme-solver', {
        podSelector: { matchLabels: { [ACME_SOLVER_LABEL]: ACME_SOLVER_LABEL_VALUE } },
        policyTypes: ['Ingress'],
        ingress: [{ from, ports: [tcp(ACME_SOLVER_PORT)] }],
      })] : []),
      policy('allow-mastodon-to-dragonfly', {
        podSelector: dragonflyPods,
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: mastodonPods }], ports: [tcp(REDIS_PORT)] }],
      }),
      ...(egress === 'restricted' ? [policy('restrict-mastodon-egress', {
        podSelector: mastodonPods,
        policyTypes: ['Egress'],
        egress: [
          { to: [kubeSystemPeer()], ports: [{ port: k8s.IntOrString.fromNumber(DNS_PORT), protocol: 'UDP' }, tcp(DNS_PORT)] },
          { to: [{ podSelector: {} }] },
          { to: publicAddresses(), ports: WEB_PORTS.map(tcp) },
          { to: anyButLinkLocal(), ports: props.servicePorts.map(tcp) },
        ],
      })] : []),
    ];
  }
}

function anyButLinkLocal(): k8s.NetworkPolicyPeer[] {
  return [{ ipBlock: { cidr: ANYWHERE[0], except: [LINK_LOCAL.v4] } }, { ipBlock: { cidr: ANYWHERE[1], except: [LINK_LOCAL.v6] } }];
}

function publicAddresses(): k8s.NetworkPolicyPeer[] {
  return [
    { ipBlock: { cidr: ANYWHERE[0], except: [...PRIVATE.v4, LINK_LOCAL.v4] } },
    { ipBlock: { cidr: ANYWHERE[1], except: [...PRIVATE.v6, LINK_LOCAL.v6] } },
  ];
}
