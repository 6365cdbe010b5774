import { ConfigProblem } from '../core/errors';
import { LoadedInstance } from '../config/types';
import { DEFAULTS } from '../model/defaults';

/**
 * The members of one ApplicationSet (the instances of one Argo CD with `argocd.applicationSet`)
 * share the template of their roots, so they read dist/ from one repository, revision and path.
 */
export function applicationSetProblems(instances: readonly LoadedInstance[]): ConfigProblem[] {
  const first = new Map<string, LoadedInstance>();
  const members = [...instances].filter((i) => i.instance.argocd.applicationSet).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return members.flatMap((loaded) => {
    const argo = loaded.instance.argocd;
    const namespace = argo.namespace ?? DEFAULTS.argocd.namespace;
    const owner = first.get(namespace);
    if (!owner) {
      first.set(namespace, loaded);
      return [];
    }
    const settings = (a: typeof argo) => ({ repoURL: a.repoURL, targetRevision: a.targetRevision ?? DEFAULTS.argocd.targetRevision, path: a.path ?? DEFAULTS.argocd.path });
    const mine = settings(argo);
    const theirs = settings(owner.instance.argocd);
    return (['repoURL', 'targetRevision', 'path'] as const).filter((k) => mine[k] !== theirs[k]).map((k) => loaded.sources.instance.problem(['argocd', k],
      `${JSON.stringify(mine[k])} differs from ${JSON.stringify(theirs[k])} of instance ${owner.id}, whose root the same ApplicationSet generates from one template; allowed: the same argocd.repoURL, targetRevision and path for every instance with argocd.applicationSet in Argo CD namespace ${namespace}`));
  });
}
