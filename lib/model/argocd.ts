import { ArgoCdConfig } from '../config/types';

/** An Application's source: a folder of this repository (the fields of Argo CD's `spec.source`). */
export interface GitSource {
  readonly repoUrl: string;
  readonly targetRevision: string;
  readonly path: string;
  readonly directory: { readonly include: string };
}

/** The `argocd` section of instance.yaml with every default resolved. */
export interface ArgoCdSettings {
  readonly repoURL: string;
  readonly targetRevision: string;
  /** Folder of the rendered output in the repository (`dist`). */
  readonly distPath: string;
  readonly namespace: string;
  /** The instance's AppProject (its namespace only). */
  readonly project: string;
  /** The AppProject of the root, the operators and the cluster-scoped objects: `<instance>-platform`. */
  readonly platformProject: string;
  /** The root Application: `<instance>-root`. */
  readonly rootAppName: string;
  /** The cluster the instance runs in (the children's destination). */
  readonly server: string;
  /** The name operator Applications carry: `<operator>`, or `<operator>-<cluster>` when a cluster is named. */
  readonly operatorAppName: (operator: string) => string;
  /** The source of the Application syncing `dist/<instance>/<folder>/`. */
  readonly gitSource: (folder: string) => GitSource;
}

/** The in-cluster API server, as Argo CD names the cluster it runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

export function argoCdSettings(instanceId: string, config: ArgoCdConfig): ArgoCdSettings {
  const repoURL = config.repoURL;
  const targetRevision = config.targetRevision ?? 'HEAD';
  const distPath = config.path ?? 'dist';
  return {
    repoURL,
    targetRevision,
    distPath,
    namespace: config.namespace ?? 'argocd',
    project: config.project ?? instanceId,
    platformProject: `${instanceId}-platform`,
    rootAppName: `${instanceId}-root`,
    server: config.server ?? IN_CLUSTER_SERVER,
    operatorAppName: (operator) => (config.cluster ? `${operator}-${config.cluster}` : operator),
    gitSource: (folder) => ({ repoUrl: repoURL, targetRevision, path: `${distPath}/${instanceId}/${folder}`, directory: { include: '*.yaml' } }),
  };
}
