import { KEDA_OPERATOR_CHART_POD_LABELS } from '../../lib/catalog/keda';
import { ACME_SOLVER_LABEL, ACME_SOLVER_LABEL_VALUE, ACME_SOLVER_PORT } from '../../lib/catalog/cert-manager';
import { dragonflyPodLabelSets, dragonflyPodTemplateLabels } from '../../lib/catalog/dragonfly-operator';
import { RenderedObject } from '../../lib/validate/object-problem';
import { get, LabelSelector, namespaceOf, selects } from '../../lib/validate/objects';
import { ofKind, renderedCases } from './rendered-cases';

/** Whether a NetworkPolicy peer selects a pod labelled `labels` in namespace `namespace` (by its name label). */
function peerSelects(peer: { namespaceSelector?: LabelSelector; podSelector?: LabelSelector }, namespace: string, labels: Record<string, string>): boolean {
  const nsOk = peer.namespaceSelector !== undefined && selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': namespace });
  return nsOk && selects(peer.podSelector ?? {}, labels);
}

/** The NetworkPolicies of `namespace` that let `from` reach pods labelled `target` on `port`. */
function admitting(objects: readonly RenderedObject[], namespace: string, target: Record<string, string>, port: number, from: (peer: any) => boolean): RenderedObject[] {
  return ofKind(objects, 'NetworkPolicy').filter((np) => namespaceOf(np) === namespace
    && selects(get(np.object, ['spec', 'podSelector']), target)
    && ((get(np.object, ['spec', 'ingress']) ?? []) as any[]).some((rule) => (rule.ports ?? []).some((p: any) => p.port === port) && (rule.from ?? []).some(from)));
}

const cases = renderedCases();

describe.each(cases.filter((c) => ofKind(c.objects, 'ScaledObject').length > 0))('KEDA v2.20.2 and the Sidekiq autoscaler of $name', ({ objects }) => {
  // kedacore/charts@v2.20.2 keda/templates/manager/deployment.yaml:27-31 and keda/templates/_helpers.tpl:13-28 (the
  // operator's pod labels); KEDA's redis scaler connects from the operator pod to the trigger's address
  // (kedacore/keda@v2.20.2 pkg/scalers/redis_scaler.go); the address is the Service the Dragonfly operator names after
  // the Dragonfly (dragonfly-operator@v1.6.1 internal/resources/resources.go:572-598, role=master, which moves on failover).
  test('charts@v2.20.2 keda/templates/manager/deployment.yaml:27-31: a policy admits the KEDA operator\'s pods, from the namespace its Application installs into, to every pod of the trigger\'s Dragonfly on its port', () => {
    const keda = ofKind(objects, 'Application').find((a) => get(a.object, ['spec', 'source', 'chart']) === 'keda');
    expect(keda).toBeDefined();
    const kedaNamespace = get(keda!.object, ['spec', 'destination', 'namespace']);
    const triggers = ofKind(objects, 'ScaledObject').flatMap((so) => ((get(so.object, ['spec', 'triggers']) ?? []) as any[]).filter((t) => t.type === 'redis'));
    expect(triggers.length).toBeGreaterThan(0);
    for (const trigger of triggers) {
      const [host, port] = String(trigger.metadata.address).split(':');
      const [service, namespace] = host.split('.');
      const df = ofKind(objects, 'Dragonfly').find((d) => d.object.metadata.name === service && namespaceOf(d) === namespace);
      expect(df).toBeDefined();
      const spec = df!.object.spec as any;
      for (const pod of dragonflyPodLabelSets(dragonflyPodTemplateLabels(service, spec.labels, spec.podMetadata?.labels), spec.replicas)) {
        const policies = admitting(objects, namespace, pod, Number(port), (peer) => peerSelects(peer, kedaNamespace, KEDA_OPERATOR_CHART_POD_LABELS));
        expect({ pod, policies: policies.length > 0 }).toEqual({ pod, policies: true });
      }
    }
  });
});

describe.each(cases)('cert-manager v1.21.1 HTTP-01 solver pods and $name', ({ objects }) => {
  // cert-manager/cert-manager@v1.21.1 pkg/issuer/acme/http/pod.go:35-48 (solver pod labels, kept over extra labels at
  // 50-57, 197-209), pkg/apis/acme/v1/types.go:58-60 (the label key), pkg/issuer/acme/http/http.go:48-49 (port 8089),
  // pod.go:208 (the pod runs in the Challenge's namespace).
  test('pod.go:35-48, http.go:48-49: the edge may reach solver pods on their port exactly where an issuer solves HTTP-01', () => {
    const http01 = ofKind(objects, 'ClusterIssuer').some((i) => ((get(i.object, ['spec', 'acme', 'solvers']) ?? []) as any[]).some((s) => s.http01));
    const solverPolicies = ofKind(objects, 'NetworkPolicy').filter((np) => get(np.object, ['spec', 'podSelector', 'matchLabels', ACME_SOLVER_LABEL]) !== undefined);
    expect(solverPolicies.length).toBe(http01 ? 1 : 0);
    for (const np of solverPolicies) {
      expect(selects(get(np.object, ['spec', 'podSelector']), { [ACME_SOLVER_LABEL]: ACME_SOLVER_LABEL_VALUE, 'acme.cert-manager.io/http-domain': '1', 'acme.cert-manager.io/http-token': '2' })).toBe(true);
      expect(get(np.object, ['spec', 'ingress', 0, 'ports'])).toEqual([{ port: ACME_SOLVER_PORT, protocol: 'TCP' }]);
    }
  });
});
