import { DRAGONFLY_CONTAINER_PORTS } from '../../lib/catalog/dragonfly-operator';
import { exampleAtVersion, exampleVariant, objects, problemsOf, renderExample, replaceOnce, GATEWAY_EXAMPLE_DIR, renderedFiles } from '../helpers';

/**
 * GIVEN monitoring on (the example) or off (the gateway example) WHEN rendered THEN Mastodon's
 * exporters are switched on, every workload has a PodMonitor on the port that serves /metrics, and
 * the scraper's pods, and no others, reach exactly those ports.
 */

type Labels = Record<string, string>;
interface Pod { readonly name: string; readonly namespace: string; readonly labels: Labels; readonly ports: Record<string, number> }
interface Peer { namespaceSelector?: { matchLabels?: Labels }; podSelector?: { matchLabels?: Labels }; ipBlock?: unknown }

const matches = (selector: Labels | undefined, labels: Labels) => Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
const NS_LABEL = 'kubernetes.io/metadata.name';

/** The pods of the instance namespace as they will run: Deployments' templates and the Dragonfly operator's pods. */
function podsOf(all: Map<string, any>): Pod[] {
  const pods: Pod[] = [];
  for (const o of all.values()) {
    if (o.kind === 'Deployment') {
      const ports = Object.fromEntries(o.spec.template.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => [p.name, p.containerPort])));
      pods.push({ name: o.metadata.name, namespace: o.metadata.namespace, labels: o.spec.template.metadata.labels, ports });
    }
    if (o.kind === 'Dragonfly') {
      // dragonfly-operator@v1.6.1 internal/resources/resources.go: its own labels, then podMetadata's.
      const labels = { app: o.metadata.name, 'app.kubernetes.io/name': 'dragonfly', 'app.kubernetes.io/part-of': 'dragonfly', ...o.spec.podMetadata.labels };
      pods.push({ name: o.metadata.name, namespace: o.metadata.namespace, labels, ports: { ...DRAGONFLY_CONTAINER_PORTS } });
    }
  }
  return pods;
}

/** Whether `peer` of a policy in `policyNs` selects `pod`; an ipBlock is taken to match anything (the strict reading). */
function peerSelects(peer: Peer, policyNs: string, pod: Pod): boolean {
  if (peer.ipBlock) return true;
  const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector.matchLabels, { [NS_LABEL]: pod.namespace }) : pod.namespace === policyNs;
  return nsOk && (!peer.podSelector || matches(peer.podSelector.matchLabels, pod.labels));
}

/** `workload:port` pairs that `source` may connect to, by the NetworkPolicies rendered (ingress is denied by default). */
function reachable(all: Map<string, any>, source: Pod): string[] {
  const policies = [...all.values()].filter((o) => o.kind === 'NetworkPolicy' && o.spec.policyTypes.includes('Ingress'));
  const out = new Set<string>();
  for (const target of podsOf(all)) {
    for (const p of policies.filter((q) => q.metadata.namespace === target.namespace && matches(q.spec.podSelector.matchLabels, target.labels))) {
      for (const rule of p.spec.ingress ?? []) {
        if (rule.from && !rule.from.some((peer: Peer) => peerSelects(peer, p.metadata.namespace, source))) continue;
        const ports: number[] = rule.ports ? rule.ports.map((x: any) => x.port) : Object.values(target.ports);
        for (const port of ports) out.add(`${target.name}:${port}`);
      }
    }
  }
  return [...out].sort();
}

const SCRAPER: Pod = { name: 'prometheus', namespace: 'kube-prometheus-stack', labels: { 'app.kubernetes.io/name': 'prometheus' }, ports: {} };
const METRICS_PORTS = ['dragonfly-cache:9999', 'dragonfly-mastodon:9999', 'dragonfly-sidekiq:9999', 'sidekiq-default:9394', 'sidekiq-scheduler:9394', 'streaming:4000', 'web:9394'];

const envOf = (c: any) => Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value]));
const byKind = (all: Map<string, any>, kind: string) => [...all.values()].filter((o) => o.kind === kind);

describe('GIVEN the example (monitoring on)', () => {
  const all = objects(renderExample());
  const get = (file: string) => all.get(`example/${file}`);

  test('THEN web runs bin/prometheus_exporter beside Puma, and Puma reports to it (PE exe/prometheus_exporter:20-55; client.rb:55-56)', () => {
    const [puma, sidecar] = get('mastodon/Deployment.web.yaml').spec.template.spec.containers;
    expect(sidecar).toMatchObject({ name: 'prometheus-exporter', image: puma.image, command: ['bin/prometheus_exporter'], args: ['--bind', '0.0.0.0', '--port', '9394', '--prefix', '', '--histogram'] });
    expect(sidecar.ports).toEqual([{ name: 'metrics', containerPort: 9394, protocol: 'TCP' }]);
    expect(sidecar.livenessProbe.httpGet).toEqual({ path: '/ping', port: 'metrics' });
    expect(sidecar.readinessProbe).toBeUndefined();
    expect(sidecar.securityContext).toEqual(puma.securityContext);
    expect(sidecar.resources).toEqual({ requests: { cpu: '25m', memory: '96Mi' }, limits: { memory: '192Mi' } });
    const env = envOf(puma);
    expect(env).toMatchObject({ MASTODON_PROMETHEUS_EXPORTER_ENABLED: 'true', MASTODON_PROMETHEUS_EXPORTER_WEB_DETAILED_METRICS: 'true', PROMETHEUS_EXPORTER_HOST: '127.0.0.1', PROMETHEUS_EXPORTER_PORT: '9394' });
    // A local server per Puma worker would fight over the port (M config/puma.rb:23-27).
    expect(env.MASTODON_PROMETHEUS_EXPORTER_LOCAL).toBeUndefined();
  });

  test('THEN every Sidekiq pool serves its metrics in-process on 0.0.0.0:9394 (M config/initializers/sidekiq.rb:26-65, prometheus_exporter.rb:12-13)', () => {
    for (const name of ['sidekiq-default', 'sidekiq-scheduler']) {
      const [c] = get(`mastodon/Deployment.${name}.yaml`).spec.template.spec.containers;
      expect(envOf(c)).toMatchObject({
        MASTODON_PROMETHEUS_EXPORTER_ENABLED: 'true', MASTODON_PROMETHEUS_EXPORTER_LOCAL: 'true', MASTODON_PROMETHEUS_EXPORTER_HOST: '0.0.0.0',
        MASTODON_PROMETHEUS_EXPORTER_PORT: '9394', MASTODON_PROMETHEUS_EXPORTER_SIDEKIQ_DETAILED_METRICS: 'true',
      });
      expect(c.ports).toEqual([{ name: 'metrics', containerPort: 9394, protocol: 'TCP' }]);
    }
  });

  test('THEN the exporter settings stay out of the shared ConfigMap and the Jobs (they would start servers in tootctl)', () => {
    for (const o of all.values()) {
      const text = JSON.stringify(o.kind === 'ConfigMap' ? o.data : o.kind === 'Job' || o.kind === 'CronJob' ? o.spec : {});
      expect([o.kind, o.metadata.name, /PROMETHEUS_EXPORTER/.test(text)]).toEqual([o.kind, o.metadata.name, false]);
    }
  });

  test('THEN each workload has a PodMonitor, carrying the scraper\'s selection labels, that selects its pods and a port they declare', () => {
    const pods = podsOf(all);
    const monitors = byKind(all, 'PodMonitor');
    expect(monitors.map((m) => `${m.metadata.name}:${m.spec.podMetricsEndpoints[0].port}`).sort()).toEqual(
      ['dragonfly-cache:admin', 'dragonfly-mastodon:admin', 'dragonfly-sidekiq:admin', 'sidekiq-default:metrics', 'sidekiq-scheduler:metrics', 'streaming:http', 'web:metrics']);
    for (const m of monitors) {
      expect(m.metadata.labels.release).toBe('kube-prometheus-stack');
      const selected = pods.filter((p) => p.namespace === m.metadata.namespace && matches(m.spec.selector.matchLabels, p.labels));
      expect([m.metadata.name, selected.map((p) => p.name)]).toEqual([m.metadata.name, [m.metadata.name]]);
      const [endpoint] = m.spec.podMetricsEndpoints;
      expect([m.metadata.name, endpoint.path, endpoint.interval, selected[0].ports[endpoint.port] !== undefined]).toEqual([m.metadata.name, '/metrics', '30s', true]);
    }
  });

  test('THEN the scraper\'s pods reach exactly the metrics ports, and nothing else opens', () => {
    expect(reachable(all, SCRAPER)).toEqual(METRICS_PORTS);
    // Both selectors in one `from` element: neither another pod of its namespace nor a Prometheus elsewhere.
    expect(reachable(all, { ...SCRAPER, labels: { 'app.kubernetes.io/name': 'grafana' } })).toEqual([]);
    expect(reachable(all, { ...SCRAPER, namespace: 'default' })).toEqual([]);
    for (const p of byKind(all, 'NetworkPolicy').filter((q) => q.metadata.name.startsWith('allow-scrape-'))) {
      expect(p.spec.ingress).toHaveLength(1);
      expect(p.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { [NS_LABEL]: 'kube-prometheus-stack' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }]);
    }
  });

  test('THEN every metrics port a policy opens is a port the selected pods declare', () => {
    const pods = podsOf(all);
    for (const pair of METRICS_PORTS) {
      const [name, port] = pair.split(':');
      expect([pair, Object.values(pods.find((p) => p.name === name)!.ports).includes(Number(port))]).toEqual([pair, true]);
    }
  });
});

describe('GIVEN the gateway example (monitoring left out)', () => {
  const all = objects(renderedFiles(GATEWAY_EXAMPLE_DIR));

  test('THEN nothing of it is rendered: no exporter env, no sidecar, no PodMonitor, no scrape policy', () => {
    expect(byKind(all, 'PodMonitor')).toEqual([]);
    expect(byKind(all, 'NetworkPolicy').filter((p) => p.metadata.name.startsWith('allow-scrape-'))).toEqual([]);
    for (const d of byKind(all, 'Deployment')) {
      expect(d.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['mastodon']);
      expect(JSON.stringify(d)).not.toMatch(/PROMETHEUS_EXPORTER|9394/);
    }
    // Only what the edge `any` (Cilium's Gateway) opens to every source: no metrics port.
    expect(reachable(all, SCRAPER)).toEqual(['streaming:4000', 'web:3000']);
  });
});

describe('monitoring settings', () => {
  const variant = (monitoring: string) => objects(renderedFiles(exampleVariant({ instance: (t) => replaceOnce(t, 'monitoring:\n  enabled: true\n', monitoring) })));

  test('GIVEN another Prometheus (its release, namespace and pod labels) THEN the PodMonitors and policies follow it', () => {
    const all = variant('monitoring:\n  enabled: true\n  selectorLabels: { release: prom }\n  scraper: { namespace: monitoring, podLabels: { app: prom } }\n');
    expect(byKind(all, 'PodMonitor').every((m) => m.metadata.labels.release === 'prom')).toBe(true);
    expect(reachable(all, { name: 'p', namespace: 'monitoring', labels: { app: 'prom' }, ports: {} })).toEqual(METRICS_PORTS);
    expect(reachable(all, SCRAPER)).toEqual([]);
  });

  test('GIVEN detailed metrics off and the sidecar resized THEN the switches go and the sidecar takes the resources', () => {
    const all = variant('monitoring:\n  enabled: true\n  webDetailedMetrics: false\n  sidekiqDetailedMetrics: false\n  exporterSidecar: { resources: { requests: { memory: 128Mi } } }\n');
    const web = [...all.values()].find((o) => o.kind === 'Deployment' && o.metadata.name === 'web');
    expect(envOf(web.spec.template.spec.containers[0]).MASTODON_PROMETHEUS_EXPORTER_WEB_DETAILED_METRICS).toBeUndefined();
    expect(web.spec.template.spec.containers[1].resources).toEqual({ requests: { cpu: '25m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    const sidekiq = [...all.values()].find((o) => o.kind === 'Deployment' && o.metadata.name === 'sidekiq-default');
    expect(envOf(sidekiq.spec.template.spec.containers[0]).MASTODON_PROMETHEUS_EXPORTER_SIDEKIQ_DETAILED_METRICS).toBeUndefined();
  });

  test('GIVEN monitoring on Mastodon 4.3 THEN it is an error naming the release that brought the exporter', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(exampleAtVersion(t, 'v4.3.9'), 'monitoring:\n  enabled: false\n', 'monitoring:\n  enabled: true\n'), queuePlan: (t) => replaceOnce(t, '      fasp: 2\n', '') });
    expect(problemsOf(dir)).toContain('instance.yaml:146:3: monitoring.enabled: Mastodon v4.3.9 has no Prometheus exporter (it came with 4.4: MASTODON_PROMETHEUS_EXPORTER_*); allowed: monitoring.enabled: false, or mastodon.version v4.4.0 or newer');
  });
});
