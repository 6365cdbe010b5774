import { ArgoCdConfig } from '../config/types';
import { argoCdSettings, ArgoCdSettings, GitSource } from './argocd';
import { APPLICATION_SET, DEFAULTS, Defaults, RolloutGroup } from './defaults';

/** `dist/_argocd/`: the ApplicationSets, one folder per Argo CD namespace (not a DNS label, so never an instance id). */
export const APPLICATION_SETS_DIST_FOLDER = '_argocd';

/** The ApplicationSet generating the roots of the instances of one Argo CD (its namespace). */
export interface ApplicationSetModel {
  /** Argo CD's namespace: the ApplicationSet, its project and its root live here. */
  readonly namespace: string;
  readonly name: string;
  /** The AppProject of the ApplicationSet, its root and the roots it generates. */
  readonly project: string;
  readonly rootAppName: string;
  readonly repoURL: string;
  /** The source of the root syncing `dist/_argocd/<namespace>/<folder>/`. */
  readonly gitSource: (folder: string) => GitSource;
  /** The list generator's elements, sorted by instance id. */
  readonly members: readonly { readonly id: string; readonly rolloutGroup: RolloutGroup }[];
  /** RollingSync, when any member names a rollout group. */
  readonly progressive: boolean;
  /** An instance's Argo CD settings with `{{.id}}` and `{{.rolloutGroup}}` for its values: the template of the roots. */
  readonly template: ArgoCdSettings;
}

/** Parameters of the ApplicationSet's Go template (its list elements). */
export const TEMPLATE_ID = '{{.id}}';
export const TEMPLATE_GROUP = '{{.rolloutGroup}}';

/** What the ApplicationSets read of an instance (a LoadedInstance is one). */
export interface ApplicationSetCandidate {
  readonly id: string;
  readonly instance: { readonly argocd: ArgoCdConfig };
}

/**
 * One ApplicationSet per Argo CD namespace holding instances with `argocd.applicationSet`; the
 * members of one share the repository, revision and path (lib/checks/application-set.ts).
 */
export function applicationSetModels(instances: readonly ApplicationSetCandidate[], d: Defaults = DEFAULTS): ApplicationSetModel[] {
  const byNamespace = new Map<string, ApplicationSetCandidate[]>();
  for (const loaded of [...instances].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (!loaded.instance.argocd.applicationSet) continue;
    const namespace = loaded.instance.argocd.namespace ?? d.argocd.namespace;
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), loaded]);
  }
  return [...byNamespace.keys()].sort().map((namespace) => {
    const members = byNamespace.get(namespace)!;
    const settings = members.map((m) => argoCdSettings(m.id, m.instance.argocd, d));
    const first = settings[0];
    const progressive = settings.some((s) => s.applicationSet!.progressive);
    const { name } = APPLICATION_SET;
    return {
      namespace,
      name,
      project: name,
      rootAppName: `${name}-root`,
      repoURL: first.repoURL,
      gitSource: (folder) => ({ repoUrl: first.repoURL, targetRevision: first.targetRevision, path: `${first.distPath}/${APPLICATION_SETS_DIST_FOLDER}/${namespace}/${folder}`, directory: { include: '*.yaml' } }),
      members: members.map((m, i) => ({ id: m.id, rolloutGroup: settings[i].applicationSet!.rolloutGroup })),
      progressive,
      template: {
        ...argoCdSettings(TEMPLATE_ID, members[0].instance.argocd, d),
        applicationSet: { rolloutGroup: TEMPLATE_GROUP as RolloutGroup, progressive },
      },
    };
  });
}
