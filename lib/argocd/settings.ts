import { ArgoCdConfig } from '../config/types';

/** The `argocd` section of instance.yaml with every default resolved. */
export interface ArgoCdSettings {
  readonly repoURL: string;
  readonly targetRevision: string;
  /** Folder of the rendered output in the repository (`dist`). */
  readonly distPath: string;
  readonly namespace: string;
  readonly project: string;
  readonly server: string;
  /** The name operator Applications carry: `<operator>`, or `<operator>-<cluster>` when a cluster is named. */
  readonly operatorAppName: (operator: string) => string;
}

/** The in-cluster API server, as Argo CD names the cluster it runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

export function argoCdSettings(instanceId: string, config: ArgoCdConfig): ArgoCdSettings {
  return {
    repoURL: config.repoURL,
    targetRevision: config.targetRevision ?? 'HEAD',
    distPath: config.path ?? 'dist',
    namespace: config.namespace ?? 'argocd',
    project: config.project ?? instanceId,
    server: config.server ?? IN_CLUSTER_SERVER,
    operatorAppName: (operator) => (config.cluster ? `${operator}-${config.cluster}` : operator),
  };
}
