import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { LoadedInstance } from '../lib/config/types';
import { ArgoApplication } from '../lib/argocd/argo-application';
import { InstanceProject } from '../lib/argocd/instance-project';
import { GroupKind, installedOperators, platformNeeds, PLATFORM_OPERATORS } from '../lib/argocd/operators';
import { argoCdSettings } from '../lib/argocd/settings';
import { chartWave, OPERATORS_WAVE } from '../lib/argocd/waves';

export interface ArgoCdChartProps {
  readonly loaded: LoadedInstance;
  /** The instance's charts; each becomes a child Application syncing `dist/<instance>/<chart>/`. */
  readonly charts: readonly Chart[];
}

/** Argo CD creates the instance namespace; the AppProject must allow Namespace for that. */
const NAMESPACE_KIND: GroupKind = { group: '', kind: 'Namespace' };

/** Children of the instance: its own namespace is created on first sync, old objects pruned last. */
const INSTANCE_SYNC_OPTIONS = ['CreateNamespace=true', 'PruneLast=true'];
/** Operators: server-side apply, because their CRDs exceed the client-side apply annotation limit. */
const OPERATOR_SYNC_OPTIONS = ['CreateNamespace=true', 'PruneLast=true', 'ServerSideApply=true'];
/**
 * The root: FailOnSharedResource stops a second instance from taking over operator Applications
 * another instance of the cluster already installs (set `argocd.operators: none` there).
 */
const ROOT_SYNC_OPTIONS = ['PruneLast=true', 'FailOnSharedResource=true'];

/**
 * The instance's app-of-apps in Argo CD's namespace (`dist/<instance>/argocd/`): the AppProject,
 * the root Application syncing this folder (itself included), one child Application per chart of
 * the instance, and the cluster-wide operators the instance installs from their upstream charts.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/cluster-bootstrapping/
 */
export class ArgoCdChart extends Chart {
  public readonly project: InstanceProject;
  public readonly root: ArgoApplication;
  public readonly children: readonly ArgoApplication[];
  public readonly operators: readonly ArgoApplication[];

  constructor(scope: Construct, id: string, props: ArgoCdChartProps) {
    const { id: instanceId, instance } = props.loaded;
    const argo = argoCdSettings(instanceId, instance.argocd);
    super(scope, id, { namespace: argo.namespace, disableResourceNameHashes: true });
    const gitSource = (chartId: string) => ({
      repoUrl: argo.repoURL,
      targetRevision: argo.targetRevision,
      path: `${argo.distPath}/${instanceId}/${chartId}`,
      directory: { include: '*.yaml' },
    });
    const common = { instanceId, project: argo.project };

    this.root = new ArgoApplication(this, 'Root', {
      ...common,
      name: `${instanceId}-root`,
      // It syncs this folder, itself included; its own wave orders nothing.
      wave: 0,
      source: gitSource(id),
      destination: { server: argo.server, namespace: argo.namespace },
      syncOptions: ROOT_SYNC_OPTIONS,
    });
    this.children = props.charts.map((chart) => new ArgoApplication(this, `Chart-${chart.node.id}`, {
      ...common,
      name: `${instanceId}-${chart.node.id}`,
      wave: chartWave(chart.node.id),
      source: gitSource(chart.node.id),
      destination: { server: argo.server, namespace: instance.namespace },
      syncOptions: INSTANCE_SYNC_OPTIONS,
    }));

    const needs = platformNeeds(instance, props.loaded.queuePlan);
    const operatorIds = installedOperators(instance, props.loaded.queuePlan);
    this.operators = operatorIds.map((operatorId) => {
      const operator = PLATFORM_OPERATORS[operatorId];
      const values = operator.values(needs);
      return new ArgoApplication(this, `Operator-${operatorId}`, {
        ...common,
        // Cluster-wide, so not prefixed with the instance: a second installer into the same cluster
        // collides visibly (FailOnSharedResource); a named cluster keeps clusters apart.
        name: argo.operatorAppName(operatorId),
        wave: OPERATORS_WAVE,
        source: {
          repoUrl: operator.chart.repoURL,
          targetRevision: operator.chart.version,
          // A chart repository names the chart; an OCI artifact is the chart, at its root.
          ...(operator.chart.chart ? { chart: operator.chart.chart } : { path: '.' }),
          helm: { releaseName: operatorId, ...(Object.keys(values).length > 0 ? { valuesObject: values } : {}) },
        },
        destination: { server: argo.server, namespace: operator.namespace },
        syncOptions: OPERATOR_SYNC_OPTIONS,
        // Deleting an operator's Application leaves the operator running: a cascade would delete
        // its CRDs and with them every Certificate or Dragonfly of the cluster.
        cascadeDelete: false,
      });
    });

    const installed = operatorIds.map((operatorId) => PLATFORM_OPERATORS[operatorId]);
    this.project = new InstanceProject(this, 'Project', {
      name: argo.project,
      instanceId,
      server: argo.server,
      sourceRepos: [argo.repoURL, ...installed.map((o) => o.chart.repoURL)],
      namespaces: [argo.namespace, instance.namespace, ...installed.flatMap((o) => [o.namespace, ...(o.extraNamespaces ?? [])])],
      clusterResources: [NAMESPACE_KIND, ...clusterScopedKinds(props.charts), ...installed.flatMap((o) => o.clusterResources)],
    });
  }
}

/** The kinds of the objects the charts render without a namespace (ClusterIssuers…). */
function clusterScopedKinds(charts: readonly Chart[]): GroupKind[] {
  return charts.flatMap((chart) => chart.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .filter((o) => !(o.metadata.namespace ?? chart.namespace))
    .map((o) => ({ group: o.apiGroup, kind: o.kind })));
}
