import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IN_CLUSTER_SERVER } from '../catalog/argocd';
import { ArgoApplication } from '../constructs/argocd/argo-application';
import { ClusterModel } from '../model/cluster';
import { ROOT_SYNC_OPTIONS } from './bootstrap-chart';

export interface ClusterRootChartProps {
  readonly cluster: ClusterModel;
}

/**
 * What a person applies once per cluster (`dist/clusters/<cluster>/bootstrap/`, synced by nothing):
 * the cluster's root Application, syncing `dist/clusters/<cluster>/argocd/` like an instance root
 * syncs the instance's (outside the folder it syncs, FailOnSharedResource against a second
 * installer of the same operator Applications).
 */
export class ClusterRootChart extends Chart {
  public readonly root: ArgoApplication;

  constructor(scope: Construct, id: string, props: ClusterRootChartProps) {
    const argo = props.cluster.argocd;
    super(scope, id, { namespace: argo.namespace, disableResourceNameHashes: true });
    this.root = new ArgoApplication(this, 'Root', {
      instanceId: argo.project,
      name: argo.rootAppName,
      project: argo.project,
      wave: 0,
      source: argo.gitSource('argocd'),
      destination: { server: IN_CLUSTER_SERVER, namespace: argo.namespace },
      syncOptions: ROOT_SYNC_OPTIONS,
    });
  }
}
