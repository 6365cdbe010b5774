import { ConfigProblem } from '../core/errors';
import { LoadedInstance } from '../config/types';
import { argoCdSettings } from '../model/argocd';

/**
 * The members of one ApplicationSet (the instances of one Argo CD with `argocd.applicationSet`)
 * share the template of their roots, so they read dist/ from one repository, revision and path.
 */
export function applicationSetProblems(instances: readonly LoadedInstance[]): ConfigProblem[] {
  const first = new Map<string, LoadedInstance>();
  const members = [...instances].filter((i) => i.instance.argocd.applicationSet).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return members.flatMap((loaded) => {
    const { namespace } = argoCdSettings(loaded.id, loaded.instance.argocd);
    const owner = first.get(namespace);
    if (!owner) {
      first.set(namespace, loaded);
      return [];
    }
    const mine = applicationSetSource(loaded);
    const theirs = applicationSetSource(owner);
    return (['repoURL', 'targetRevision', 'path'] as const).filter((k) => mine[k] !== theirs[k]).map((k) => loaded.sources.instance.problem(['argocd', k],
      `${JSON.stringify(mine[k])} differs from ${JSON.stringify(theirs[k])} of instance ${owner.id}, whose root the same ApplicationSet generates from one template; allowed: the same argocd.repoURL, targetRevision and path for every instance with argocd.applicationSet in Argo CD namespace ${namespace}`));
  });
}

/** What the members of one ApplicationSet must share: where their roots read dist/ from. */
export function applicationSetSource(loaded: LoadedInstance): { repoURL: string; targetRevision: string; path: string } {
  const { repoURL, targetRevision, distPath } = argoCdSettings(loaded.id, loaded.instance.argocd);
  return { repoURL, targetRevision, path: distPath };
}
