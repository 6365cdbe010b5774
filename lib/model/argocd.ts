import { ArgoCdConfig } from '../config/types';
import { APPLICATION_SET, DEFAULTS, Defaults, DERIVED, RolloutGroup } from './defaults';

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
  /** Its rollout group when the ApplicationSet of its Argo CD generates its root. @default none: bootstrapped by hand only */
  readonly applicationSet?: { readonly rolloutGroup: RolloutGroup; readonly progressive: boolean };
}


export function argoCdSettings(instanceId: string, config: ArgoCdConfig, d: Defaults = DEFAULTS): ArgoCdSettings {
  const repoURL = config.repoURL;
  const targetRevision = config.targetRevision ?? d.argocd.targetRevision;
  const distPath = config.path ?? d.argocd.path;
  return {
    repoURL,
    targetRevision,
    distPath,
    namespace: config.namespace ?? d.argocd.namespace,
    project: config.project ?? DERIVED.argocdProject(instanceId),
    platformProject: `${instanceId}-platform`,
    rootAppName: `${instanceId}-root`,
    server: config.server ?? d.argocd.server,
    operatorAppName: (operator) => (config.cluster ? `${operator}-${config.cluster}` : operator),
    gitSource: (folder) => ({ repoUrl: repoURL, targetRevision, path: `${distPath}/${instanceId}/${folder}`, directory: { include: '*.yaml' } }),
    ...(config.applicationSet ? { applicationSet: { rolloutGroup: config.applicationSet.rolloutGroup ?? APPLICATION_SET.defaultGroup, progressive: config.applicationSet.rolloutGroup !== undefined } } : {}),
  };
}
