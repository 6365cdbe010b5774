import { KEDA_NAMESPACE } from './keda';
import { ingressNginxControllerValues } from './ingress-nginx';
import { EXTERNAL_SECRETS_NAMESPACE } from './external-secrets';
import { SEALED_SECRETS_CHART, SEALED_SECRETS_CONTROLLER, SEALED_SECRETS_NAMESPACE } from './sealed-secrets';

/** A Kubernetes API group and kind (AppProject resource allow-lists). */
/** A cluster-wide operator an instance can install through Argo CD. */
export type OperatorId = 'cert-manager' | 'dragonfly-operator' | 'ingress-nginx' | 'keda' | 'external-secrets' | 'sealed-secrets';

export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** A pinned upstream Helm chart: from a chart repository (`chart` set) or an OCI artifact. */
export interface HelmChartRef {
  /** `https://…` chart repository, or `oci://registry/path/chart` (Argo CD ≥ 3.1 native OCI). */
  readonly repoURL: string;
  /** The chart's name in a chart repository. @default none: `repoURL` is the OCI chart itself */
  readonly chart?: string;
  readonly version: string;
}

/** What an instance asks of the cluster, as far as operators go. */
export interface PlatformNeeds {
  /** How traffic reaches the instance. @default none: nothing at the edge is rendered */
  readonly edge?: 'ingress' | 'gateway';
  /** Annotations of the edge's load balancer (`edge.loadBalancerAnnotations`). @default none */
  readonly loadBalancerAnnotations?: Readonly<Record<string, string>>;
  /** ClusterIssuers (the `certManager` section). */
  readonly certManager: boolean;
  /** Some Redis role runs on a Dragonfly managed here. */
  readonly dragonfly: boolean;
  /** Some Sidekiq pool is scaled by KEDA. */
  readonly sidekiqAutoscaling: boolean;
  /** How the Secrets reach the cluster (`secrets.delivery`). @default manual: no operator */
  readonly secretsDelivery?: 'manual' | 'external-secrets' | 'sealed-secrets';
}

/**
 * What an operator's Helm values depend on: a cluster file's settings (config/clusters/), or, for an
 * instance that installs its operators itself, what its own config needs (`settingsForNeeds`).
 */
export interface OperatorSettings {
  /** cert-manager watches Gateway API objects (the cluster has the Gateway API CRDs). */
  readonly gatewayAPI: boolean;
  /** Annotations of ingress-nginx's LoadBalancer Service. */
  readonly loadBalancerAnnotations: Readonly<Record<string, string>>;
}

/** The settings of the operators one instance installs for itself, from its needs. */
export function settingsForNeeds(needs: PlatformNeeds): OperatorSettings {
  return { gatewayAPI: needs.edge === 'gateway', loadBalancerAnnotations: needs.loadBalancerAnnotations ?? {} };
}

/** A cluster-wide operator installed from its upstream Helm chart by a child Application. */
export interface PlatformOperator {
  readonly chart: HelmChartRef;
  /** The namespace it runs in (its Application's destination). */
  readonly namespace: string;
  /** Other namespaces the chart writes to. @default none */
  readonly extraNamespaces?: readonly string[];
  /** The cluster-scoped kinds the chart creates (the AppProject must allow them). */
  readonly clusterResources: readonly GroupKind[];
  /** Whether an instance with these needs requires it. */
  readonly neededBy: (needs: PlatformNeeds) => boolean;
  /** Helm values. */
  readonly values: (settings: OperatorSettings) => Readonly<Record<string, unknown>>;
}

const CRD: GroupKind = { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' };
const CLUSTER_ROLE: GroupKind = { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' };
const CLUSTER_ROLE_BINDING: GroupKind = { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' };
const VALIDATING_WEBHOOK: GroupKind = { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' };
const MUTATING_WEBHOOK: GroupKind = { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' };

/**
 * The operators mastodon-cdk8s can install, in install order, with their pinned chart versions.
 * Adding one is one entry here (and its id in `OperatorId` and the instance schema).
 */
export const PLATFORM_OPERATORS: Readonly<Record<OperatorId, PlatformOperator>> = {
  // https://cert-manager.io/docs/installation/helm/
  'cert-manager': {
    chart: { repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.21.1' },
    namespace: 'cert-manager',
    clusterResources: [CRD, CLUSTER_ROLE, CLUSTER_ROLE_BINDING, VALIDATING_WEBHOOK, MUTATING_WEBHOOK],
    neededBy: (needs) => needs.certManager,
    values: (settings) => ({
      // crds.keep marks the CRDs helm.sh/resource-policy: keep: removing cert-manager must not
      // delete every Certificate in the cluster with its CRD.
      crds: { enabled: true, keep: true },
      // Leader-election leases in cert-manager's own namespace instead of kube-system.
      global: { leaderElection: { namespace: 'cert-manager' } },
      // Gateway support needs the Gateway API CRDs at start-up, so only with a Gateway edge.
      // https://cert-manager.io/docs/usage/gateway/
      ...(settings.gatewayAPI
        // `gatewayAPI.enabled`, not the deprecated `enableGatewayAPI`
        // (cert-manager v1.21.1 pkg/apis/config/controller/v1alpha1/types.go:85-90, 152-153, 269-272).
        ? { config: { apiVersion: 'controller.config.cert-manager.io/v1alpha1', kind: 'ControllerConfiguration', gatewayAPI: { enabled: true } } }
        : {}),
    }),
  },
  // https://github.com/dragonflydb/dragonfly-operator (chart published to GHCR as OCI)
  'dragonfly-operator': {
    chart: { repoURL: 'oci://ghcr.io/dragonflydb/dragonfly-operator/helm/dragonfly-operator', version: 'v1.6.1' },
    namespace: 'dragonfly-operator-system',
    clusterResources: [CRD, CLUSTER_ROLE, CLUSTER_ROLE_BINDING],
    neededBy: (needs) => needs.dragonfly,
    values: () => ({ crds: { install: true, keep: true } }),
  },
  // Retired upstream (final release: controller v1.15.1, chart 4.15.1, March 2026); prefer a Gateway.
  'ingress-nginx': {
    chart: { repoURL: 'https://kubernetes.github.io/ingress-nginx', chart: 'ingress-nginx', version: '4.15.1' },
    namespace: 'ingress-nginx',
    clusterResources: [CLUSTER_ROLE, CLUSTER_ROLE_BINDING, VALIDATING_WEBHOOK, { group: 'networking.k8s.io', kind: 'IngressClass' }],
    neededBy: (needs) => needs.edge === 'ingress',
    values: (settings) => ({ controller: ingressNginxControllerValues(settings.loadBalancerAnnotations) }),
  },
  // https://keda.sh/docs/deploy/#helm
  keda: {
    chart: { repoURL: 'https://kedacore.github.io/charts', chart: 'keda', version: '2.20.2' },
    // The NetworkPolicy admitting KEDA to the Sidekiq Dragonfly expects it here (lib/catalog/keda.ts).
    namespace: KEDA_NAMESPACE,
    // The metrics adapter reads the API server's authentication config from kube-system.
    extraNamespaces: ['kube-system'],
    clusterResources: [CRD, CLUSTER_ROLE, CLUSTER_ROLE_BINDING, VALIDATING_WEBHOOK, { group: 'apiregistration.k8s.io', kind: 'APIService' }],
    neededBy: (needs) => needs.sidekiqAutoscaling,
    values: () => ({}),
  },
  // https://external-secrets.io/latest/introduction/getting-started/ (Helm). The chart installs its
  // CRDs (`installCRDs: true`, ESO@helm-chart-2.9.0 deploy/charts/external-secrets/values.yaml:57) with
  // RBAC and the SecretStore validating webhook (templates/rbac.yaml, templates/validatingwebhook.yaml).
  // The webhook is rendered without a caBundle (validatingwebhook.yaml:19-33), which ESO's
  // cert-controller fills in; operators are applied server-side here, so Argo CD owns no caBundle
  // field to put back (not yet checked against a live sync).
  'external-secrets': {
    // ESO v2.9.0's chart (external-secrets@helm-chart-2.9.0 deploy/charts/external-secrets/Chart.yaml:5-6:
    // version 2.9.0, appVersion v2.9.0, the release of the CRDs in cdk8s.yaml; repository: its README.md:13).
    chart: { repoURL: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '2.9.0' },
    namespace: EXTERNAL_SECRETS_NAMESPACE,
    clusterResources: [CRD, CLUSTER_ROLE, CLUSTER_ROLE_BINDING, VALIDATING_WEBHOOK],
    neededBy: (needs) => needs.secretsDelivery === 'external-secrets',
    values: () => ({ installCRDs: true }),
  },
  // https://github.com/bitnami-labs/sealed-secrets#helm-chart: the chart's CRD (crds/), RBAC
  // (templates/cluster-role.yaml, cluster-role-binding.yaml) and the controller, which makes its key
  // pair on first start and a new one every 30 days (lib/catalog/sealed-secrets.ts).
  'sealed-secrets': {
    chart: SEALED_SECRETS_CHART,
    namespace: SEALED_SECRETS_NAMESPACE,
    clusterResources: [CRD, CLUSTER_ROLE, CLUSTER_ROLE_BINDING],
    neededBy: (needs) => needs.secretsDelivery === 'sealed-secrets',
    values: () => ({ fullnameOverride: SEALED_SECRETS_CONTROLLER }),
  },
};

/** Every operator, in install order. */
export const OPERATOR_IDS = Object.keys(PLATFORM_OPERATORS) as OperatorId[];

/** The operators an instance with these needs requires, in install order. */
export function requiredOperators(needs: PlatformNeeds): OperatorId[] {
  return OPERATOR_IDS.filter((id) => PLATFORM_OPERATORS[id].neededBy(needs));
}
