import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoApplication } from '../constructs/argocd/argo-application';
import { InstanceModel } from '../model/types';
import { healthChecksPatch } from '../catalog/argocd-health-checks';
import { IN_CLUSTER_SERVER } from '../catalog/argocd';

export interface BootstrapChartProps {
  readonly model: InstanceModel;
}

/** The root is applied by hand and syncs `argocd/` (the AppProjects and the children), not itself. */
export const ROOT_SYNC_OPTIONS = ['PruneLast=true', 'FailOnSharedResource=true'];

/**
 * What a person applies once per instance (`dist/<instance>/bootstrap/`, synced by nothing; README,
 * "Argo CD"): the root Application, in the cluster Argo CD runs in, syncing `dist/<instance>/argocd/`
 * (FailOnSharedResource stops a second instance from taking over operator Applications another
 * instance of the cluster already installs), and a merge patch for Argo CD's `argocd-cm` with the
 * health checks the waves between Applications rely on. The root is outside the folder it syncs:
 * included in it, its own task at wave 0 would carry every child's health (B1 of the platform
 * audit) and a Degraded child would fail every root sync.
 */
export class BootstrapChart extends Chart {
  public readonly root: ArgoApplication;
  /** The `argocd-cm` merge patch (YAML), written to `bootstrap/argocd-cm.patch` (not an object: every instance renders it, identical). */
  public readonly healthChecksPatch: string;

  constructor(scope: Construct, id: string, props: BootstrapChartProps) {
    const { instanceId, argocd: argo, platform } = props.model;
    super(scope, id, { namespace: argo.namespace, disableResourceNameHashes: true });
    this.root = new ArgoApplication(this, 'Root', {
      instanceId,
      name: argo.rootAppName,
      project: argo.platformProject,
      wave: 0,
      source: argo.gitSource('argocd'),
      destination: { server: IN_CLUSTER_SERVER, namespace: argo.namespace },
      syncOptions: ROOT_SYNC_OPTIONS,
    });
    this.healthChecksPatch = healthChecksPatch({ dragonfly: platform.needs.dragonfly });
  }
}
