import { ValuePath } from '../core/source';
import { ObjectCheck, objectProblem, ObjectProblem, RenderedObject } from './object-problem';
import { ROLE_LABEL_KEY } from '../catalog/dragonfly-operator';
import { get, Json, Labels, LabelSelector, namespaceOf, podTemplates, showLabels } from './objects';
import { isDragonfly, podIndex, selectedPods, selectsEverything } from './pods';

/**
 * Selectors aimed at pods must reach a pod that will run (pods/index: workloads, the Dragonfly
 * operator's pods with their real labels, cert-manager's solvers). An empty selector selects
 * every pod and is always fine; selectors into other namespaces are not judged.
 */

/** Set by Kubernetes on every namespace: a namespaceSelector on it names one namespace. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function describeSelector(selector: LabelSelector): string {
  const exprs = (selector.matchExpressions ?? []).map((e) => `${e.key} ${e.operator} (${(e.values ?? []).join(', ')})`);
  return [showLabels(selector.matchLabels ?? {}), ...exprs].filter(Boolean).join(', ') || 'everything';
}

/** When the namespace has Dragonflies, what their pods really carry (a selector aimed at them usually misses these). */
function dragonflyHint(objects: readonly RenderedObject[], namespace: string): string {
  const byDragonfly = new Map<RenderedObject, Labels[]>();
  for (const p of podIndex(objects).pods(namespace)) if (isDragonfly(p.at)) byDragonfly.set(p.at, [...(byDragonfly.get(p.at) ?? []), p.labels]);
  if (byDragonfly.size === 0) return '';
  const shown = [...byDragonfly.values()].map((sets) => {
    const roles = sets.map((l) => l[ROLE_LABEL_KEY]).join('|');
    const { [ROLE_LABEL_KEY]: _role, ...rest } = sets[0];
    return `{${showLabels({ ...rest, [ROLE_LABEL_KEY]: roles })}}`;
  });
  return `; the Dragonfly operator's pods here carry ${shown.join(', ')}`;
}

/** A finding when a non-empty `selector` selects no pod in `namespace`. */
function noPodProblem(objects: readonly RenderedObject[], at: RenderedObject, path: ValuePath, namespace: string, selector: LabelSelector | undefined, consequence: string): ObjectProblem[] {
  if (!selector || selectsEverything(selector) || selectedPods(objects, namespace, selector).length > 0) return [];
  return [objectProblem(at, path, `selects no pod that will run in namespace "${namespace}" (${describeSelector(selector)}), ${consequence}${dragonflyHint(objects, namespace)}`)];
}

/** The namespace a peer's podSelector looks in, or undefined when that is not this one or not known. */
function peerNamespace(peer: Json, own: string): string | undefined {
  const ns = peer.namespaceSelector as LabelSelector | undefined;
  if (ns === undefined) return own;
  const labels = ns.matchLabels ?? {};
  const onlyName = (ns.matchExpressions ?? []).length === 0 && Object.keys(labels).length === 1 && labels[NAMESPACE_NAME_LABEL] === own;
  return onlyName ? own : undefined;
}

/** A NetworkPolicy's podSelector, and the podSelectors of its peers in its own namespace, must select pods that will run. */
export const networkPolicyTargets: ObjectCheck = (objects) => objects.filter((o) => o.object.kind === 'NetworkPolicy').flatMap((np) => {
  const ns = namespaceOf(np);
  const problems = noPodProblem(objects, np, ['spec', 'podSelector'], ns, get(np.object, ['spec', 'podSelector']), 'so the policy applies to nothing');
  for (const [direction, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    ((get(np.object, ['spec', direction]) ?? []) as Json[]).forEach((rule, r) => ((rule[peers] ?? []) as Json[]).forEach((peer, p) => {
      const peerNs = peer.podSelector ? peerNamespace(peer, ns) : undefined;
      if (peerNs !== undefined) {
        problems.push(...noPodProblem(objects, np, ['spec', direction, r, peers, p, 'podSelector'], peerNs, peer.podSelector, 'so this peer admits nothing'));
      }
    }));
  }
  return problems;
});

/** The (anti-)affinity terms of a pod spec at `path`, with their paths. */
function affinityTerms(affinity: Json | undefined, path: ValuePath): { term: Json; path: ValuePath; anti: boolean }[] {
  if (!affinity) return [];
  return (['podAffinity', 'podAntiAffinity'] as const).flatMap((kind) => {
    const at = (affinity[kind] ?? {}) as Json;
    const anti = kind === 'podAntiAffinity';
    return [
      ...((at.requiredDuringSchedulingIgnoredDuringExecution ?? []) as Json[]).map((term, i) => ({ term, anti, path: [...path, kind, 'requiredDuringSchedulingIgnoredDuringExecution', i] })),
      ...((at.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Json[]).map((w, i) => ({ term: (w.podAffinityTerm ?? {}) as Json, anti, path: [...path, kind, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'podAffinityTerm'] })),
    ];
  });
}

/** The namespace a term looks in: its pod's, unless it names others or selects namespaces (then not judged). */
function termNamespace(term: Json, own: string): string | undefined {
  if (term.namespaceSelector !== undefined && term.namespaceSelector !== null) return undefined;
  const names = (term.namespaces ?? []) as string[];
  return names.length === 0 || (names.length === 1 && names[0] === own) ? own : undefined;
}

/**
 * A pod (anti-)affinity term must select pods that will run: of workloads' pod templates, and of
 * Dragonflies (the operator copies `spec.affinity` onto its pods, resources.go:459-461).
 */
export const affinityTargets: ObjectCheck = (objects) => {
  const specs = [
    ...podTemplates(objects).map((t) => ({ at: t.at, affinity: t.spec.affinity as Json | undefined, path: [...t.path, 'spec', 'affinity'] })),
    ...objects.filter(isDragonfly).map((at) => ({ at, affinity: get(at.object, ['spec', 'affinity']) as Json | undefined, path: ['spec', 'affinity'] })),
  ];
  return specs.flatMap(({ at, affinity, path }) => affinityTerms(affinity, path).flatMap(({ term, anti, path: termPath }) => {
    const ns = termNamespace(term, namespaceOf(at));
    if (ns === undefined) return [];
    return noPodProblem(objects, at, [...termPath, 'labelSelector'], ns, term.labelSelector,
      anti ? 'so it keeps these pods away from nothing' : 'so these pods have nothing to be placed near');
  }));
};
