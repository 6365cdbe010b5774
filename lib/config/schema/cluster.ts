import { Type } from '@sinclair/typebox';
import { OPERATOR_IDS, OperatorId } from '../../catalog/operators';
import { allowed, allowedFields, map, namePattern, obj, opt, pattern, prop, raw } from './kit';

/**
 * The schema of `config/clusters/<cluster>.yaml`: one Kubernetes cluster and the cluster-wide
 * operators Argo CD installs into it once, for every instance that selects it with
 * `argocd.cluster: <cluster>`. The source of lib/config/schemas/cluster.schema.json
 * (`npm run schemas`) and of the types in ../types.ts.
 */

const dnsLabel = pattern('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$', "a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters");

const annotations = map(namePattern('^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$', 'an annotation key such as service.beta.kubernetes.io/do-loadbalancer-name'), Type.String());

/** The settings an operator takes in a cluster file; an operator without any takes `{}`. */
const OPERATOR_SETTINGS: Partial<Record<OperatorId, ReturnType<typeof obj>>> = {
  'cert-manager': obj({
    gatewayAPI: opt("cert-manager's Gateway API support (certificates for Gateway listeners): needed when an instance of this cluster has edge.kind: gateway and certManager; the cluster must then have the Gateway API CRDs (DOKS: its managed Gateway API). Default false.", Type.Boolean(allowed('true or false'))),
  }, { description: 'cert-manager, with its CRDs (kept when it is removed), at its pinned chart (lib/catalog/operators.ts).' }),
  'ingress-nginx': obj({
    loadBalancerAnnotations: opt("Annotations of ingress-nginx's LoadBalancer Service, shared by every instance with edge.kind: ingress in this cluster, e.g. service.beta.kubernetes.io/do-loadbalancer-*; PROXY protocol (do-loadbalancer-enable-proxy-protocol: \"true\") also turns on use-proxy-protocol. Default none.", annotations),
  }, { description: 'ingress-nginx, the controller of every instance with edge.kind: ingress, at its pinned chart (lib/catalog/operators.ts).' }),
};

/** Which operators the cluster runs, by operator id; the settings of each. */
export interface ClusterOperatorSettings {
  readonly gatewayAPI?: boolean;
  readonly loadBalancerAnnotations?: Readonly<Record<string, string>>;
}

const OPERATORS_ALLOWED = `a map of ${OPERATOR_IDS.join(', ')} to their settings ({} for none)`;

const operators = raw<Partial<Record<OperatorId, ClusterOperatorSettings>>>({
  type: 'object',
  additionalProperties: false,
  ...allowedFields(OPERATORS_ALLOWED),
  properties: Object.fromEntries(OPERATOR_IDS.map((id) => [id, OPERATOR_SETTINGS[id] ?? obj({}, { description: `${id}, with its pinned chart (lib/catalog/operators.ts); no settings.` })])),
});

export const ClusterSchema = obj({
  argocd: prop('Where Argo CD finds this repository: the cluster root Application syncs dist/clusters/<cluster>/argocd/ from it.', obj({
    repoURL: prop('The Git repository Argo CD reads dist/ from.', pattern('^(https://|ssh://|git@)[^\\s]+$', 'a Git URL such as https://github.com/example/mastodon-gitops.git or git@github.com:example/mastodon-gitops.git')),
    targetRevision: opt('Branch, tag or commit Argo CD follows. Default HEAD (the default branch).', pattern('^[^\\s]+$', 'a branch, tag or commit without spaces, such as main')),
    path: opt('Folder of the rendered output in the repository. Default dist.', pattern('^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$', 'a relative folder path such as dist or deploy/dist')),
    namespace: opt('Namespace Argo CD runs in, where the Applications and the AppProject live. Default argocd.', dnsLabel),
  })),
  server: opt("The cluster's API server, as Argo CD knows it: every instance selecting this cluster must have the same argocd.server. Default https://kubernetes.default.svc (the cluster Argo CD runs in). The operator Applications are named <operator> for that one, <operator>-<cluster> for any other.", pattern('^https://[^\\s/]+(/[^\\s]*)?$', 'an https:// URL such as https://kubernetes.default.svc')),
  operators: prop('The cluster-wide operators Argo CD installs into this cluster, once for all its instances (an instance needing one that is not here is an error that names it).', operators),
}, {
  '$schema': 'http://json-schema.org/draft-07/schema#',
  '$id': 'https://mastodon-cdk8s.local/schemas/cluster.schema.json',
  title: 'mastodon-cdk8s cluster',
  description: 'One Kubernetes cluster (config/clusters/<cluster>.yaml) and the operators installed into it once for every instance with argocd.cluster: <cluster>.',
});
