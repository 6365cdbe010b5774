import { ConfigProblem } from '../core/errors';
import { show } from '../core/show';
import { ValuePath } from '../core/source';
import { LoadedInstance } from '../config/types';
import { DEFAULTS, DERIVED } from '../model/defaults';

/** Something an instance must have to itself, and where its config says so. */
interface Claim {
  /** What is claimed, comparable across instances; undefined when nothing is. */
  readonly key: string | undefined;
  readonly path: ValuePath;
  /** The message when another instance already holds it. */
  readonly clash: (owner: string) => string;
}

/** What two instances rendered from one repository must never share. */
const CLAIMS: readonly ((loaded: LoadedInstance) => Claim)[] = [
  ({ instance }) => ({
    key: instance.namespace,
    path: ['namespace'],
    clash: (owner) => `${show(instance.namespace)} is already used by instance ${owner}; allowed: a namespace of its own (names such as "web" would collide)`,
  }),
  ({ instance: { search } }) => ({
    key: search && `${search.host}:${search.port ?? DEFAULTS.search.port}/${search.prefix ?? ''}`,
    path: search?.prefix ? ['search', 'prefix'] : ['search'],
    clash: (owner) => `the search indices${search?.prefix ? ` prefixed ${show(search.prefix)}` : ' without a prefix'} on ${search?.host} are already used by instance ${owner}; allowed: a search.prefix of its own`,
  }),
  ({ id, instance: { backups } }) => {
    const folder = backups && `${backups.destination.bucket}/${backups.destination.prefix ?? DERIVED.backupPrefix(id)}`;
    return {
      key: backups && `${backups.destination.endpoint}/${folder}`,
      path: ['backups', 'destination', ...(backups?.destination.prefix ? ['prefix'] : [])],
      clash: (owner) => `the backup folder ${folder} is already used by instance ${owner} (each job deletes what it did not write); allowed: a backups.destination.prefix of its own`,
    };
  },
];

/**
 * What an instance claims, comparable across instances, one entry per kind of claim (null when it
 * claims nothing of that kind): two instances with the same entry at the same place clash.
 */
export function sharingKeys(loaded: LoadedInstance): (string | null)[] {
  return CLAIMS.map((claimOf) => claimOf(loaded).key ?? null);
}

/** The claims two or more instances make on the same thing, reported at the later instances. */
export function sharingProblems(instances: readonly LoadedInstance[]): ConfigProblem[] {
  return CLAIMS.flatMap((claimOf) => {
    const owners = new Map<string, string>();
    return instances.flatMap((loaded) => {
      const claim = claimOf(loaded);
      if (claim.key === undefined) return [];
      const owner = owners.get(claim.key);
      if (owner === undefined) {
        owners.set(claim.key, loaded.id);
        return [];
      }
      return [loaded.sources.instance.problem(claim.path, claim.clash(owner))];
    });
  });
}
