import {
  CHECKED_LABEL_FIELDS, DRAGONFLY_CONTAINER_PORTS, dragonflyPodLabelSets, dragonflyPodTemplateLabels, OPERATOR_MANAGED_LABEL_KEYS,
  ROLE_LABEL_KEY, ROLE_MASTER, ROLE_REPLICA, RUNTIME_LABEL_KEYS,
} from '../../lib/catalog/dragonfly-operator';
import { LABEL_DRAGONFLY_INSTANCE, LABEL_REDIS_ROLE } from '../../lib/constructs/common/dragonfly-labels';
import { RenderedObject } from '../../lib/validate/object-problem';
import { get, Labels, LabelSelector, namespaceOf, podTemplates, selects } from '../../lib/validate/objects';
import { ofKind, renderedCases } from './rendered-cases';

/**
 * What the Dragonfly operator (dragonflydb/dragonfly-operator@v1.6.1, internal/resources/resources.go
 * and internal/controller/dragonfly_instance.go; facts in lib/catalog/dragonfly-operator.ts) does
 * with the Dragonflies we render, held against the rendered output of both examples and a fixture.
 */

interface OperatorPod {
  readonly dragonfly: string;
  readonly namespace: string;
  readonly labels: Labels;
}

/** The pods the operator will run for each rendered Dragonfly, master and replicas, with their real labels. */
function operatorPods(objects: readonly RenderedObject[]): OperatorPod[] {
  return ofKind(objects, 'Dragonfly').flatMap((df) => {
    const spec = df.object.spec as any;
    const template = dragonflyPodTemplateLabels(df.object.metadata.name, spec.labels, spec.podMetadata?.labels);
    return dragonflyPodLabelSets(template, spec.replicas).map((labels) => ({ dragonfly: df.object.metadata.name, namespace: namespaceOf(df), labels }));
  });
}

interface AimedSelector {
  readonly where: string;
  readonly namespace: string;
  readonly selector: LabelSelector;
  /** The Dragonfly whose own spec holds it (its anti-affinity), if any. */
  readonly owner?: string;
}

/** A selector written for Dragonfly pods: it names the operator's app name or one of our Dragonfly pod labels. */
function aimedAtDragonfly(selector: LabelSelector | undefined): boolean {
  const labels = selector?.matchLabels ?? {};
  return labels['app.kubernetes.io/name'] === 'dragonfly' || labels[LABEL_DRAGONFLY_INSTANCE] !== undefined || labels[LABEL_REDIS_ROLE] !== undefined
    || (labels.app ?? '').startsWith('dragonfly');
}

/** Every selector of the output that is aimed at Dragonfly pods: NetworkPolicies (target and same-namespace peers), (anti-)affinity, PDBs, Services. */
function dragonflySelectors(objects: readonly RenderedObject[]): AimedSelector[] {
  const found: AimedSelector[] = [];
  const add = (o: RenderedObject, where: string, selector: LabelSelector | undefined, owner?: string) => {
    if (selector && aimedAtDragonfly(selector)) found.push({ where: `${o.object.kind}/${o.object.metadata.name} ${where}`, namespace: namespaceOf(o), selector, owner });
  };
  for (const np of ofKind(objects, 'NetworkPolicy')) {
    add(np, 'spec.podSelector', get(np.object, ['spec', 'podSelector']));
    for (const rule of (get(np.object, ['spec', 'ingress']) ?? []) as any[]) for (const peer of rule.from ?? []) if (!peer.namespaceSelector) add(np, 'ingress peer', peer.podSelector);
    for (const rule of (get(np.object, ['spec', 'egress']) ?? []) as any[]) for (const peer of rule.to ?? []) if (!peer.namespaceSelector) add(np, 'egress peer', peer.podSelector);
  }
  const affinitySpecs = [
    ...ofKind(objects, 'Dragonfly').map((o) => ({ o, affinity: get(o.object, ['spec', 'affinity']), owner: o.object.metadata.name })),
    ...podTemplates(objects).map((t) => ({ o: t.at, affinity: t.spec.affinity, owner: undefined })),
  ];
  for (const { o, affinity, owner } of affinitySpecs) {
    for (const kind of ['podAffinity', 'podAntiAffinity']) {
      for (const term of affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution ?? []) add(o, `${kind} required`, term.labelSelector, owner);
      for (const w of affinity?.[kind]?.preferredDuringSchedulingIgnoredDuringExecution ?? []) add(o, `${kind} preferred`, w.podAffinityTerm?.labelSelector, owner);
    }
  }
  for (const pdb of ofKind(objects, 'PodDisruptionBudget')) add(pdb, 'spec.selector', get(pdb.object, ['spec', 'selector']));
  for (const svc of ofKind(objects, 'Service')) {
    const selector = get(svc.object, ['spec', 'selector']);
    if (selector) add(svc, 'spec.selector', { matchLabels: selector });
  }
  return found;
}

describe.each(renderedCases())('the Dragonfly operator v1.6.1 and the Dragonflies of $name', ({ objects }) => {
  const dragonflies = ofKind(objects, 'Dragonfly');
  const pods = operatorPods(objects);

  test('GIVEN Dragonflies to check THEN each runs a master and, from 2 replicas, replicas', () => {
    expect(dragonflies.length).toBeGreaterThan(0);
    for (const df of dragonflies) {
      const roles = pods.filter((p) => p.dragonfly === df.object.metadata.name).map((p) => p.labels[ROLE_LABEL_KEY]);
      expect(roles).toEqual((df.object.spec as any).replicas > 1 ? [ROLE_MASTER, ROLE_REPLICA] : [ROLE_MASTER]);
    }
  });

  // dragonfly-operator@v1.6.1 internal/resources/resources.go:37-57 (operatorManagedLabels, checkLabels) and 131-149
  // (GenerateDragonflyResources returns the error before generating anything).
  test('resources.go:37-57, 131-149: no Dragonfly sets a label key the operator owns, in any field checkLabels reads', () => {
    for (const df of dragonflies) {
      for (const field of CHECKED_LABEL_FIELDS) {
        const reserved = Object.keys(get(df.object, field) ?? {}).filter((k) => OPERATOR_MANAGED_LABEL_KEYS.includes(k));
        expect({ dragonfly: df.object.metadata.name, field: field.join('.'), reserved }).toEqual({ dragonfly: df.object.metadata.name, field: field.join('.'), reserved: [] });
      }
    }
  });

  // dragonfly_instance.go:503-513 (replica: role=replica, master-ip), 553-554 (master: role=master), 945-950 (deleteRoleLabel).
  test('dragonfly_instance.go:503-513, 553-554: no pod template label or selector of ours uses role or master-ip, which the controller sets and removes at runtime', () => {
    for (const df of dragonflies) {
      const spec = df.object.spec as any;
      const podKeys = [...Object.keys(spec.labels ?? {}), ...Object.keys(spec.podMetadata?.labels ?? {})];
      expect(podKeys.filter((k) => RUNTIME_LABEL_KEYS.includes(k))).toEqual([]);
    }
    for (const aimed of dragonflySelectors(objects)) {
      const keys = [...Object.keys(aimed.selector.matchLabels ?? {}), ...(aimed.selector.matchExpressions ?? []).map((e) => e.key)];
      expect({ where: aimed.where, runtimeKeys: keys.filter((k) => RUNTIME_LABEL_KEYS.includes(k)) }).toEqual({ where: aimed.where, runtimeKeys: [] });
    }
  });

  // resources.go:192-198 (pod template: app, app.kubernetes.io/part-of, app.kubernetes.io/name), 446-457 (podMetadata
  // labels copied over them); the role is set at runtime (dragonfly_instance.go:503, 553) and moves on failover, so a
  // selector aimed at one Dragonfly must match its master and its replicas alike.
  test('resources.go:192-198, 446-457: every selector aimed at Dragonfly pods selects whole Dragonflies (master and replicas) and nothing else', () => {
    const aimed = dragonflySelectors(objects);
    expect(aimed.length).toBeGreaterThan(0);
    for (const a of aimed) {
      const inNamespace = pods.filter((p) => p.namespace === a.namespace);
      const selected = inNamespace.filter((p) => selects(a.selector, p.labels));
      const touched = [...new Set(selected.map((p) => p.dragonfly))];
      expect({ where: a.where, selectsSomething: touched.length > 0 }).toEqual({ where: a.where, selectsSomething: true });
      for (const name of touched) {
        const all = inNamespace.filter((p) => p.dragonfly === name).length;
        expect({ where: a.where, dragonfly: name, selected: selected.filter((p) => p.dragonfly === name).length }).toEqual({ where: a.where, dragonfly: name, selected: all });
      }
      const workloads = podTemplates(objects).filter((t) => namespaceOf(t.at) === a.namespace && selects(a.selector, t.labels)).map((t) => t.at.file);
      expect({ where: a.where, workloads }).toEqual({ where: a.where, workloads: [] });
      // A Dragonfly's own anti-affinity keeps its master and replicas apart: it must select exactly its own pods.
      if (a.owner) expect({ where: a.where, touched }).toEqual({ where: a.where, touched: [a.owner] });
    }
  });

  test('resources.go:192-198: the Mastodon-to-Dragonfly policy admits clients to every Dragonfly pod of the namespace on the redis port (const.go:23-25)', () => {
    const np = ofKind(objects, 'NetworkPolicy').find((o) => o.object.metadata.name === 'allow-mastodon-to-dragonfly')!;
    const selected = pods.filter((p) => p.namespace === namespaceOf(np) && selects(get(np.object, ['spec', 'podSelector']), p.labels));
    expect(selected).toEqual(pods.filter((p) => p.namespace === namespaceOf(np)));
    expect(get(np.object, ['spec', 'ingress', 0, 'ports'])).toEqual([{ port: DRAGONFLY_CONTAINER_PORTS.redis, protocol: 'TCP' }]);
  });

  // resources.go:572-575 (the Service is named after the Dragonfly unless serviceSpec.name), 593-603 (port 6379);
  // resources.go:623-664 (the operator's own PodDisruptionBudget over app/part-of/name when replicas > 1).
  test('resources.go:572-603, 623-664: Mastodon reaches each Dragonfly by the Service the operator names after it, and no PDB of ours doubles the operator\'s', () => {
    const env = podTemplates(objects).find((t) => t.at.object.kind === 'Deployment' && t.at.object.metadata.name === 'web')!.spec.containers[0].env as { name: string; value?: string }[];
    for (const df of dragonflies) {
      expect((df.object.spec as any).serviceSpec?.name).toBeUndefined();
    }
    const names = new Set(dragonflies.map((df) => df.object.metadata.name));
    const hosts = env.filter((e) => /REDIS_URL$/.test(e.name) && e.value?.includes('@dragonfly-')).map((e) => /@([^:/]+):(\d+)/.exec(e.value!)!);
    expect(hosts.length).toBeGreaterThan(0);
    for (const [, host, port] of hosts) {
      expect(names.has(host.split('.')[0])).toBe(true);
      expect(Number(port)).toBe(DRAGONFLY_CONTAINER_PORTS.redis);
    }
    // Kubernetes' eviction API refuses a pod covered by two PodDisruptionBudgets.
    for (const pdb of ofKind(objects, 'PodDisruptionBudget')) {
      expect(pods.filter((p) => p.namespace === namespaceOf(pdb) && selects(get(pdb.object, ['spec', 'selector']), p.labels))).toEqual([]);
    }
  });
});
