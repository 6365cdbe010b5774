import { applicationSetSource } from '../checks/application-set';
import { clusterOperatorAppKeys, clusterSelectionProblems, instanceOperatorAppKeys } from '../checks/clusters';
import { sharingKeys } from '../checks/sharing';
import { LoadedCluster, LoadedInstance } from '../config/types';
import { argoCdSettings } from '../model/argocd';
import { ApplicationSetCandidate } from '../model/application-set';
import { RenderedObject } from '../validate/object-problem';
import { identityKey } from '../validate/semantic';

/**
 * The checks across instances (what two instances must not share, what their cluster files must
 * declare, the members of an ApplicationSet, objects rendered twice: `renderAll` in ./render.ts)
 * answered from a few facts per instance, which the render cache keeps beside its render, so that
 * re-rendering a thousand instances after editing one loads and renders that one only (issue 17).
 *
 * The facts are the very keys the checks compare (each check exports how it keys an instance), and
 * they only tell whether a check *may* report a problem: when one may, the caller runs the checks
 * themselves over the loaded instances, for their exact messages. So a clash is never missed, and
 * every message is the one a full render gives.
 */
export interface InstanceFacts {
  readonly id: string;
  /** Its namespace: the objects in it are its own (no other instance may use it, `sharingKeys`). */
  readonly namespace: string;
  /** `sharingKeys`: its claims on what instances must not share. */
  readonly sharing: readonly (string | null)[];
  /** `instanceOperatorAppKeys`: the operator Applications it renders itself. */
  readonly operatorApps: readonly string[];
  /** Whether its cluster files report a problem for it (clusterSelectionProblems). */
  readonly clusterProblems: boolean;
  /** When its root comes from an ApplicationSet: what the ApplicationSet reads of it, in which Argo CD, and from where. */
  readonly applicationSet: { readonly candidate: ApplicationSetCandidate; readonly argocdNamespace: string; readonly source: string } | null;
}

/** What its render adds: the files rendered, and who its objects outside its own namespace are (`identityKey`). */
export interface RenderFacts {
  readonly files: number;
  readonly foreignObjects: readonly string[];
}

/** The facts of a loaded instance, with `clusters` the cluster files of its config root. */
export function instanceFacts(loaded: LoadedInstance, clusters: readonly LoadedCluster[]): InstanceFacts {
  const { argocd } = loaded.instance;
  return {
    id: loaded.id,
    namespace: loaded.instance.namespace,
    sharing: sharingKeys(loaded),
    operatorApps: instanceOperatorAppKeys(loaded, clusters),
    clusterProblems: clusterSelectionProblems([loaded], clusters).length > 0,
    applicationSet: argocd.applicationSet
      ? { candidate: { id: loaded.id, instance: { argocd } }, argocdNamespace: argoCdSettings(loaded.id, argocd).namespace, source: JSON.stringify(applicationSetSource(loaded)) }
      : null,
  };
}

/** The facts of an instance's render (its objects' identities and files). */
export function renderFacts(namespace: string, identities: readonly RenderedObject[], files: number): RenderFacts {
  return { files, foreignObjects: identities.filter((o) => o.object.metadata?.namespace !== namespace).map(identityKey) };
}

/**
 * Whether the checks on configuration across instances may report a problem: two instances with
 * the same claim, an operator Application rendered twice, a cluster file at odds with an instance,
 * members of one ApplicationSet reading different sources.
 */
export function configMayClash(facts: readonly InstanceFacts[], clusters: readonly LoadedCluster[]): boolean {
  if (facts.some((f) => f.clusterProblems)) return true;
  const claims = facts.length === 0 ? 0 : facts[0].sharing.length;
  for (let k = 0; k < claims; k += 1) {
    if (hasDuplicate(facts.map((f) => f.sharing[k]).filter((key): key is string => key !== null))) return true;
  }
  if (hasDuplicate([...clusterOperatorAppKeys(clusters), ...facts.flatMap((f) => f.operatorApps)])) return true;
  const sources = new Map<string, string>();
  for (const { applicationSet: member } of facts) {
    if (!member) continue;
    const first = sources.get(member.argocdNamespace);
    if (first !== undefined && first !== member.source) return true;
    sources.set(member.argocdNamespace, member.source);
  }
  return false;
}

/**
 * Whether two rendered objects may be the same object (noDuplicates): an instance's objects in its
 * own namespace can only meet another's in that namespace, so only the objects outside their
 * instance's namespace, and those rendered for all instances (`shared`), are compared; one of them
 * in some instance's namespace may meet that instance's own.
 */
export function objectsMayClash(facts: readonly InstanceFacts[], renders: readonly RenderFacts[], shared: readonly RenderedObject[]): boolean {
  const namespaces = new Set(facts.map((f) => f.namespace));
  const seen = new Set<string>();
  // Any key twice, or in some instance's namespace. One pass, without splitting: a thousand instances have ten thousand keys.
  const mayClash = (key: string) => {
    if (seen.has(key)) return true;
    seen.add(key);
    // identityKey is `<group>/<kind>/<namespace>/<name>`; none of the first three holds a '/'.
    const kindEnd = key.indexOf('/', key.indexOf('/') + 1);
    return namespaces.has(key.slice(kindEnd + 1, key.indexOf('/', kindEnd + 1)));
  };
  return renders.some((r) => r.foreignObjects.some(mayClash)) || shared.some((object) => mayClash(identityKey(object)));
}

function hasDuplicate(keys: readonly string[]): boolean {
  return new Set(keys).size !== keys.length;
}
