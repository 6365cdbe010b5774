import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { GroupKind, PLATFORM_OPERATORS } from '../catalog/operators';
import { IN_CLUSTER_SERVER } from '../catalog/argocd';
import { ArgoProject } from '../constructs/argocd/project';
import { OperatorApplication, operatorsProjectScope } from '../constructs/argocd/operator-application';
import { ClusterModel } from '../model/cluster';
import { OPERATORS_WAVE, PROJECT_WAVE } from './waves';

export interface ClusterOperatorsChartProps {
  readonly cluster: ClusterModel;
}

/** Argo CD creates the operators' namespaces (CreateNamespace); the project must allow Namespace for that. */
const NAMESPACE_KIND: GroupKind = { group: '', kind: 'Namespace' };

/**
 * What a cluster root syncs (`dist/clusters/<cluster>/argocd/`): the AppProject `cluster-<cluster>`
 * and one Application per operator the cluster file declares, installed once for every instance
 * of the cluster. The project is admin-equivalent like an instance's platform project (it writes
 * into Argo CD's namespace and creates cluster-scoped kinds: argo-cd v3.5.1
 * docs/operator-manual/cluster-bootstrapping.md:88-95).
 */
export class ClusterOperatorsChart extends Chart {
  public readonly project: ArgoProject;
  public readonly operators: readonly OperatorApplication[];

  constructor(scope: Construct, id: string, props: ClusterOperatorsChartProps) {
    const { cluster } = props;
    const argo = cluster.argocd;
    super(scope, id, { namespace: argo.namespace, disableResourceNameHashes: true });
    const owner = argo.project;
    this.operators = cluster.operators.map((operatorId) => new OperatorApplication(this, `Operator-${operatorId}`, {
      operatorId,
      operator: PLATFORM_OPERATORS[operatorId],
      settings: cluster.settings,
      name: cluster.operatorAppName(operatorId),
      owner,
      project: argo.project,
      wave: OPERATORS_WAVE,
      server: argo.server,
    }));
    const scopeOfOperators = operatorsProjectScope(cluster.operators.map((id) => PLATFORM_OPERATORS[id]), argo.server);
    this.project = new ArgoProject(this, 'Project', {
      name: argo.project,
      instanceId: owner,
      wave: PROJECT_WAVE,
      description: `Cluster ${cluster.name}: its root Application and the cluster-wide operators its Mastodon instances share (rendered by mastodon-cdk8s)`,
      sourceRepos: [argo.repoURL, ...scopeOfOperators.sourceRepos],
      destinations: [
        // The root writes the Applications and the AppProject where Argo CD runs.
        { server: IN_CLUSTER_SERVER, namespace: argo.namespace },
        ...scopeOfOperators.destinations,
      ],
      clusterResources: [NAMESPACE_KIND, ...scopeOfOperators.clusterResources],
    });
  }
}
