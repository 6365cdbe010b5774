import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ApplicationSpecIgnoreDifferences } from '../../imports/application-argoproj.io';
import { PRUNE_PROTECTED } from '../catalog/argocd';
import { ArgoApplication } from '../constructs/argocd/argo-application';
import { GroupKind, PLATFORM_OPERATORS, settingsForNeeds } from '../catalog/operators';
import { OperatorApplication, operatorsProjectScope } from '../constructs/argocd/operator-application';
import { InstanceModel } from '../model/types';
import { ArgoProject, Destination } from '../constructs/argocd/project';
import { clusterScopedKinds, explicitNamespaces, namespacedKinds, plainJobNames, rendersCustomResources } from './rendered-kinds';
import { IN_CLUSTER_SERVER } from '../catalog/argocd';
import { chartWave, OPERATORS_WAVE, PROJECT_WAVE } from './waves';

export interface ArgoCdChartProps {
  readonly model: InstanceModel;
  /** The instance's charts; each becomes a child Application syncing `dist/<instance>/<chart>/`. */
  readonly charts: readonly Chart[];
}

/** Argo CD creates the destination namespace (CreateNamespace); the project must allow Namespace for that. */
const NAMESPACE_KIND: GroupKind = { group: '', kind: 'Namespace' };

/** Children of the instance: its own namespace is created on first sync, old objects pruned last. */
const CHILD_SYNC_OPTIONS = ['CreateNamespace=true', 'PruneLast=true'];
/**
 * A child whose custom resources' CRDs come from an operator of an earlier wave: without this, the
 * first sync is refused while the CRD is missing (gitops-engine sync_context.go:1067-1088 at v3.5.1
 * tolerates a missing kind only with this option or the CRD in the same sync).
 */
const SKIP_DRY_RUN_ON_MISSING_RESOURCE = 'SkipDryRunOnMissingResource=true';
/** Applies `ignoreDifferences` during the sync too (controller/sync.go:236-247 at v3.5.1). */
const RESPECT_IGNORE_DIFFERENCES = 'RespectIgnoreDifferences=true';

/**
 * Charts whose objects are cluster-wide or outside the instance namespace (ExternalSecrets in
 * cert-manager's): their Applications belong to the platform project.
 */
const PLATFORM_CHARTS: ReadonlySet<string> = new Set(['cluster', 'platform-secrets']);
/** Charts holding data: removing their Application waits for a confirmation. */
const DATA_CHARTS: ReadonlySet<string> = new Set(['data']);

/**
 * What the root Application syncs (`dist/<instance>/argocd/`; the root itself is rendered into
 * `bootstrap/`, outside the folder it syncs, so it never waits on itself): two AppProjects, one
 * child Application per chart of the instance, and the cluster-wide operators the instance
 * installs from their upstream charts.
 *
 * - The platform project `<instance>-platform` (admin-equivalent, like any project that may write
 *   to Argo CD's namespace: argo-cd v3.5.1 docs/operator-manual/cluster-bootstrapping.md:88-95)
 *   holds the root, the operators and the `cluster` chart. ClusterIssuers are there, not in the
 *   instance project: any namespace's certificates can use them and a project cannot limit a kind
 *   by name, so allowing them to an instance would let it rewrite another instance's issuers.
 * - The instance project `<project>` reads only this repository, deploys only into the instance
 *   namespace, and creates only the namespaced kinds the instance renders (plus its Namespace).
 *
 * Applications and AppProjects live in the cluster Argo CD runs in: the root's destination is
 * `https://kubernetes.default.svc`; only the children deploy to `argocd.server`.
 * @see https://github.com/argoproj/argo-cd/blob/v3.5.1/docs/operator-manual/cluster-bootstrapping.md
 */
export class ArgoCdChart extends Chart {
  public readonly platformProject: ArgoProject;
  public readonly instanceProject: ArgoProject;
  public readonly children: readonly ArgoApplication[];
  public readonly operators: readonly ArgoApplication[];

  constructor(scope: Construct, id: string, props: ArgoCdChartProps) {
    const { instanceId, namespace, argocd: argo, platform } = props.model;
    super(scope, id, { namespace: argo.namespace, disableResourceNameHashes: true });
    const instanceDestination: Destination = { server: argo.server, namespace };

    this.children = props.charts.map((chart) => {
      const chartId = chart.node.id;
      const jobs = plainJobNames(chart);
      const ignoreDifferences: ApplicationSpecIgnoreDifferences[] = jobs.map((name) => ({
        // A plain Job runs once per name; its spec (pod template included) is immutable in
        // practice, so what is applied later is the live spec, never a changed one.
        group: 'batch', kind: 'Job', name, namespace, jsonPointers: ['/spec'],
      }));
      return new ArgoApplication(this, `Chart-${chartId}`, {
        instanceId,
        name: `${instanceId}-${chartId}`,
        project: PLATFORM_CHARTS.has(chartId) ? argo.platformProject : argo.project,
        wave: chartWave(chartId),
        source: argo.gitSource(chartId),
        destination: instanceDestination,
        syncOptions: [
          ...CHILD_SYNC_OPTIONS,
          ...(rendersCustomResources(chart) ? [SKIP_DRY_RUN_ON_MISSING_RESOURCE] : []),
          ...(jobs.length > 0 ? [RESPECT_IGNORE_DIFFERENCES] : []),
        ],
        annotations: DATA_CHARTS.has(chartId) ? PRUNE_PROTECTED : undefined,
        ignoreDifferences,
      });
    });

    const installed = platform.operators.map((operatorId) => ({ operatorId, operator: PLATFORM_OPERATORS[operatorId] }));
    const settings = settingsForNeeds(platform.needs);
    this.operators = installed.map(({ operatorId, operator }) => new OperatorApplication(this, `Operator-${operatorId}`, {
      operatorId,
      operator,
      settings,
      name: argo.operatorAppName(operatorId),
      owner: instanceId,
      project: argo.platformProject,
      wave: OPERATORS_WAVE,
      server: argo.server,
    }));
    const operatorScope = operatorsProjectScope(installed.map(({ operator }) => operator), argo.server);

    const platformCharts = props.charts.filter((c) => PLATFORM_CHARTS.has(c.node.id));
    const instanceCharts = props.charts.filter((c) => !PLATFORM_CHARTS.has(c.node.id));
    this.platformProject = new ArgoProject(this, 'PlatformProject', {
      name: argo.platformProject,
      instanceId,
      wave: PROJECT_WAVE,
      description: `Platform of Mastodon instance ${instanceId}: its root Application, cluster-wide operators and cluster-scoped objects (rendered by mastodon-cdk8s)`,
      sourceRepos: [argo.repoURL, ...operatorScope.sourceRepos],
      destinations: [
        // The root writes Applications and AppProjects where Argo CD runs.
        { server: IN_CLUSTER_SERVER, namespace: argo.namespace },
        ...operatorScope.destinations,
        ...(platformCharts.length > 0 ? [instanceDestination] : []),
        // The namespaces platform charts write to by name, unless already there.
        ...explicitNamespaces(platformCharts)
          .filter((ns) => ns !== namespace && !installed.some(({ operator }) => [operator.namespace, ...(operator.extraNamespaces ?? [])].includes(ns)))
          .map((ns) => ({ server: argo.server, namespace: ns })),
      ],
      clusterResources: [NAMESPACE_KIND, ...clusterScopedKinds(platformCharts), ...operatorScope.clusterResources],
    });
    this.instanceProject = new ArgoProject(this, 'InstanceProject', {
      name: argo.project,
      instanceId,
      wave: PROJECT_WAVE,
      description: `Mastodon instance ${instanceId}: its namespace only (rendered by mastodon-cdk8s)`,
      sourceRepos: [argo.repoURL],
      destinations: [instanceDestination],
      clusterResources: [NAMESPACE_KIND, ...clusterScopedKinds(instanceCharts)],
      namespacedResources: namespacedKinds(instanceCharts),
    });
  }
}
