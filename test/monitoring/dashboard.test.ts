import { KNOWN_METRICS } from '../../lib/catalog/metric-names';
import { KUBE_PROMETHEUS_STACK } from '../../lib/catalog/prometheus-exporter';
import { exampleVariant, objects, renderExample, replaceOnce, renderedFiles } from '../helpers';
import { metricNames, promqlErrors, rulesOf } from './promql';

/**
 * GIVEN an instance with monitoring WHEN rendered THEN a ConfigMap `<id>-grafana-dashboard`
 * carries a Grafana dashboard for the sidecar of kube-prometheus-stack (its label by default),
 * built from typed panels: every query parses with Prometheus' parser and reads catalogued metrics
 * or the instance's own recording rules, and the constants follow the objective and the budget.
 */

const MONITORING = 'monitoring:\n  enabled: true\n';
const FILE = 'example/mastodon/ConfigMap.example-grafana-dashboard.yaml';
const variant = (monitoring: string, edit: (t: string) => string = (t) => t) =>
  objects(renderedFiles(exampleVariant({ instance: (t) => edit(replaceOnce(t, MONITORING, monitoring)) }, 'example')));
const dashboardOf = (all: Map<string, any>) => {
  const cm = all.get(FILE);
  return cm && JSON.parse(cm.data['mastodon-example.json']);
};
const panels = (d: any) => d.panels.filter((p: any) => p.type !== 'row');
const exprs = (d: any): string[] => panels(d).flatMap((p: any) => p.targets.map((t: any) => t.expr));
/** Grafana's macros, as Grafana substitutes them before Prometheus parses the query. */
const expand = (expr: string) => expr.replace(/\$__rate_interval/g, '5m').replace(/\$__range/g, '1d');

describe('Grafana dashboard', () => {
  const all = objects(renderExample());
  const dashboard = dashboardOf(all);

  test('THEN it is a ConfigMap labelled for kube-prometheus-stack\'s Grafana sidecar (grafana_dashboard: "1")', () => {
    const cm = all.get(FILE);
    expect(cm.metadata.labels[KUBE_PROMETHEUS_STACK.dashboardLabel.name]).toBe(KUBE_PROMETHEUS_STACK.dashboardLabel.value);
    expect(KUBE_PROMETHEUS_STACK.dashboardLabel).toEqual({ name: 'grafana_dashboard', value: '1' });
    expect(Object.keys(cm.data)).toEqual(['mastodon-example.json']);
    expect(dashboard.uid).toBe('mastodon-example');
  });

  test('THEN every panel query parses and reads catalogued metrics or the instance\'s recording rules', () => {
    const records = new Set(rulesOf(all).filter((r) => r.record).map((r) => r.record));
    expect(exprs(dashboard).length).toBeGreaterThan(15);
    for (const expr of exprs(dashboard)) {
      expect([expr, promqlErrors(expand(expr))]).toEqual([expr, []]);
      for (const name of metricNames(expand(expr))) expect([expr, name, KNOWN_METRICS.has(name) || records.has(name)]).toEqual([expr, name, true]);
    }
    expect(promqlErrors(expand('sum(rate(x[$__rate_interval])'))).not.toEqual([]);
  });

  test('THEN it shows what the issue asks: requests, latency, errors, Sidekiq per queue, the DB pool against the budget, Dragonfly memory, the error budget left', () => {
    const titles = panels(dashboard).map((p: any) => p.title);
    expect(titles).toEqual(expect.arrayContaining([
      'Requests by status', 'Latency', 'Error ratio (5xx) against the objective', 'Jobs processed per queue', 'Queue latency (oldest job)',
      'Queue backlog', 'Open connections against the budget', 'Memory used of maxmemory', 'Web: error budget left', 'Streaming: error budget left',
    ]));
  });

  test('THEN the layout is deterministic: ids in order, no two panels on the same cells, the same JSON on every render', () => {
    expect(dashboard.panels.map((p: any) => p.id)).toEqual(dashboard.panels.map((_: any, i: number) => i + 1));
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
    expect(objects(renderExample()).get(FILE)).toEqual(all.get(FILE));
  });

  test('GIVEN another objective and pool size THEN the budget constants move', () => {
    const d = dashboardOf(variant(`${MONITORING}  slo: { availability: 0.995 }\n`, (t) => replaceOnce(t, '    planMemoryGiB: 16\n', '    planMemoryGiB: 16\n    size: 200\n')));
    expect(exprs(d)).toEqual(expect.arrayContaining(['vector(0.005)', 'vector(200)']));
    expect(exprs(d).filter((e) => e.includes('$__range')).every((e) => e.endsWith(' / 0.005'))).toBe(true);
  });

  test('GIVEN web detailed metrics off THEN no status, latency or web budget panel (their series do not exist)', () => {
    const d = dashboardOf(variant(`${MONITORING}  webDetailedMetrics: false\n`));
    const titles = panels(d).map((p: any) => p.title);
    expect(titles).toContain('Requests');
    expect(titles).not.toContain('Latency');
    expect(titles).not.toContain('Web: error budget left');
    expect(exprs(d).some((e) => e.includes('status') || e.includes('mastodon:web_request_errors'))).toBe(false);
  });

  test('GIVEN another sidecar label THEN the ConfigMap carries it; GIVEN the dashboard off THEN there is none', () => {
    const labelled = variant(`${MONITORING}  dashboard: { label: grafana_dashboards, labelValue: mastodon }\n`).get(FILE);
    expect(labelled.metadata.labels.grafana_dashboards).toBe('mastodon');
    expect(labelled.metadata.labels.grafana_dashboard).toBeUndefined();
    expect(variant(`${MONITORING}  dashboard: { enabled: false }\n`).get(FILE)).toBeUndefined();
  });
});
