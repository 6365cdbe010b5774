import { IN_CLUSTER_SERVER } from '../catalog/argocd';
import { OPERATOR_IDS, OperatorId, OperatorSettings } from '../catalog/operators';
import { LoadedCluster } from '../config/types';
import { DEFAULTS, Defaults } from './defaults';
import { GitSource } from './argocd';

/** A cluster file (config/clusters/<name>.yaml) with every default resolved. */
export interface ClusterModel {
  readonly name: string;
  readonly argocd: {
    readonly repoURL: string;
    readonly targetRevision: string;
    readonly distPath: string;
    /** Where Argo CD runs: the root, the AppProject and the operator Applications live here. */
    readonly namespace: string;
    /** The cluster's AppProject: `cluster-<name>`. */
    readonly project: string;
    /** The cluster's root Application, applied once by hand: `cluster-<name>-root`. */
    readonly rootAppName: string;
    /** The cluster's API server: the operators' destination. */
    readonly server: string;
    /** The source of the Application syncing `dist/clusters/<name>/<folder>/`. */
    readonly gitSource: (folder: string) => GitSource;
  };
  /** The operators it installs, in install order. */
  readonly operators: readonly OperatorId[];
  readonly operatorAppName: (operator: OperatorId) => string;
  readonly settings: OperatorSettings;
}

/** `dist/clusters/`: the rendered cluster folders, beside the instance folders. */
export const CLUSTERS_DIST_FOLDER = 'clusters';

/**
 * The name of an operator's Application in the cluster file `name` whose API server is `server`:
 * `<operator>` in the cluster Argo CD runs in, `<operator>-<name>` elsewhere. These are the names an
 * instance installing its own operators renders for the same cluster (`argocd.cluster` unset in
 * the cluster Argo CD runs in, or set to the same name for another one), so moving the operators
 * from the instances to a cluster file renames nothing (README, "Clusters").
 */
export function clusterOperatorAppName(name: string, server: string): (operator: OperatorId) => string {
  return (operator) => (server === IN_CLUSTER_SERVER ? operator : `${operator}-${name}`);
}

export function clusterModel(cluster: LoadedCluster, d: Defaults = DEFAULTS): ClusterModel {
  const { name, config } = cluster;
  const repoURL = config.argocd.repoURL;
  const targetRevision = config.argocd.targetRevision ?? d.argocd.targetRevision;
  const distPath = config.argocd.path ?? d.argocd.path;
  const server = config.server ?? d.argocd.server;
  const ingress = config.operators['ingress-nginx'];
  return {
    name,
    argocd: {
      repoURL,
      targetRevision,
      distPath,
      namespace: config.argocd.namespace ?? d.argocd.namespace,
      project: `cluster-${name}`,
      rootAppName: `cluster-${name}-root`,
      server,
      gitSource: (folder) => ({ repoUrl: repoURL, targetRevision, path: `${distPath}/${CLUSTERS_DIST_FOLDER}/${name}/${folder}`, directory: { include: '*.yaml' } }),
    },
    operators: OPERATOR_IDS.filter((id) => config.operators[id] !== undefined),
    operatorAppName: clusterOperatorAppName(name, server),
    settings: {
      gatewayAPI: config.operators['cert-manager']?.gatewayAPI ?? false,
      loadBalancerAnnotations: ingress?.loadBalancerAnnotations ?? {},
    },
  };
}
