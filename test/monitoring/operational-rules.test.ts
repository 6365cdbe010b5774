import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadInstance } from '../../lib/app/load';
import { renderInstance } from '../../lib/app/render';
import { EXPORTED_NAMESPACE_LABEL, KNOWN_METRICS, METRIC_LABELS, MetricName, TARGET_LABELS } from '../../lib/catalog/metric-names';
import { buildModel } from '../../lib/model/build';
import { DEFAULTS, Defaults } from '../../lib/model/defaults';
import { readmeUrl } from '../../lib/model/monitoring';
import { operationalAlertsPlan } from '../../lib/model/operational-alerts';
import { exampleVariant, objects, problemsOf, renderExample, replaceOnce, renderedFiles } from '../helpers';
import { metricNames, promqlErrors, rulesOf, selectors } from './promql';

/**
 * GIVEN an instance with monitoring WHEN rendered THEN the PrometheusRule `<id>-operations` holds
 * the operational alerts, each with a summary, a severity, a runbook_url to its README section, and
 * PromQL that Prometheus' parser accepts, reading only metrics whose exporter line is cited in
 * lib/catalog/metric-names.ts; thresholds come from the config and the defaults table.
 */

const MONITORING = 'monitoring:\n  enabled: true\n';
const render = (dir: string) => objects(renderedFiles(dir));
const operations = (all: Map<string, any>) => rulesOf(all).filter((r) => r.object.endsWith('-operations'));
const withMonitoring = (monitoring: string, queuePlan?: (t: string) => string) =>
  render(exampleVariant({ instance: (t) => replaceOnce(t, MONITORING, monitoring), queuePlan }));
const autoscaled = (t: string) => replaceOnce(t, '    replicas: 4\n', '    replicas: 4\n    autoscaling: { maxReplicas: 8 }\n');
/** Every optional alert on: KEDA (an autoscaled pool) and Argo CD. */
const everything = () => withMonitoring(`${MONITORING}  alerts: { argocd: true }\n`, autoscaled);
const exprOf = (rules: any[], alert: string, label?: [string, string]) =>
  rules.filter((r) => r.alert === alert && (!label || r.labels[label[0]] === label[1])).map((r) => r.expr);

describe('operational alerts', () => {
  test('GIVEN every optional alert on THEN each expression parses and reads only catalogued metrics', () => {
    const rules = operations(everything());
    expect([...new Set(rules.map((r) => r.alert))].sort()).toEqual([
      'MastodonArgoCdAppUnhealthy', 'MastodonBackupMissed', 'MastodonBackupNeverSucceeded', 'MastodonCertificateExpiring',
      'MastodonCertificateNotReady', 'MastodonDatabaseConnectionsNearLimit', 'MastodonDatabasePoolWaiting', 'MastodonDragonflyMemoryHigh',
      'MastodonKedaScalerErrors', 'MastodonMetricsTargetDown', 'MastodonSidekiqDeadSetGrowing', 'MastodonSidekiqQueueBacklogHigh',
      'MastodonSidekiqQueueLatencyHigh', 'MastodonSidekiqRetrySetGrowing', 'MastodonSidekiqSchedulerMissing',
    ]);
    for (const r of rules) {
      expect([r.alert, promqlErrors(r.expr)]).toEqual([r.alert, []]);
      const names = metricNames(r.expr);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect([r.alert, name, KNOWN_METRICS.has(name)]).toEqual([r.alert, name, true]);
    }
  });

  test('GIVEN every optional alert on THEN each selector matches only on labels its exporter sets or the scrape adds', () => {
    const allowed = (metric: string) => new Set([...(METRIC_LABELS[metric as MetricName] ?? []), ...TARGET_LABELS, EXPORTED_NAMESPACE_LABEL]);
    for (const r of operations(everything())) {
      for (const { metric, labels } of selectors(r.expr)) {
        for (const label of labels) expect([r.alert, metric, label, allowed(metric).has(label)]).toEqual([r.alert, metric, label, true]);
      }
    }
    expect(selectors('sidekiq_queue_backlog{queue="a",qeue="b"}')).toEqual([{ metric: 'sidekiq_queue_backlog', labels: ['queue', 'qeue'] }]);
  });

  test('GIVEN the SLO rules too THEN they read only catalogued metrics and their own recording rules', () => {
    const rules = rulesOf(everything());
    const records = new Set(rules.filter((r) => r.record).map((r) => r.record));
    for (const r of rules) {
      for (const name of metricNames(r.expr)) expect([r.record ?? r.alert, name, KNOWN_METRICS.has(name) || records.has(name)]).toEqual([r.record ?? r.alert, name, true]);
    }
  });

  test('GIVEN a misspelt metric THEN the name check sees it (the canary)', () => {
    expect(metricNames('max(sidekiq_queue_backlg{queue="a"}) - absent(up)').filter((n) => !KNOWN_METRICS.has(n))).toEqual(['sidekiq_queue_backlg']);
  });

  test("THEN every alert has a summary naming the instance (the variant folder's name), a description, a severity and its README runbook", () => {
    for (const r of operations(everything())) {
      expect(Object.keys(r.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(r.annotations.summary).toMatch(/^variant: /);
      expect(r.annotations.runbook_url).toBe(`https://github.com/example/mastodon-gitops/blob/main/README.md#${r.alert.toLowerCase()}`);
      expect(['critical', 'warning']).toContain(r.labels.severity);
      expect(r.labels.mastodon_instance).toBe('variant');
    }
  });

  test('GIVEN the example THEN one latency and one backlog alert per queue a pool serves, pull longer than default', () => {
    const rules = operations(objects(renderExample()));
    const queues = (alert: string) => rules.filter((r) => r.alert === alert).map((r) => r.labels.queue).sort();
    expect(queues('MastodonSidekiqQueueLatencyHigh')).toEqual(['default', 'fasp', 'ingress', 'mailers', 'pull', 'push', 'scheduler']);
    expect(queues('MastodonSidekiqQueueBacklogHigh')).toEqual(queues('MastodonSidekiqQueueLatencyHigh'));
    expect(exprOf(rules, 'MastodonSidekiqQueueLatencyHigh', ['queue', 'default'])[0]).toMatch(/\) > 300$/);
    expect(exprOf(rules, 'MastodonSidekiqQueueLatencyHigh', ['queue', 'pull'])[0]).toMatch(/\) > 1800$/);
  });

  test('GIVEN monitoring.queues.pull WHEN its thresholds change THEN only the pull rules move', () => {
    const before = operations(objects(renderExample()));
    const after = operations(withMonitoring(`${MONITORING}  queues: { pull: { latencyMinutes: 45, backlog: 80000 } }\n`));
    expect(exprOf(after, 'MastodonSidekiqQueueLatencyHigh', ['queue', 'pull'])[0]).toMatch(/queue="pull".*\) > 2700$/);
    expect(exprOf(after, 'MastodonSidekiqQueueBacklogHigh', ['queue', 'pull'])[0]).toMatch(/\) > 80000$/);
    const changed = after.filter((r, i) => r.expr !== before[i].expr).map((r) => `${r.alert}/${r.labels.queue}`);
    expect(changed).toEqual(['MastodonSidekiqQueueLatencyHigh/pull', 'MastodonSidekiqQueueBacklogHigh/pull']);
  });

  test('GIVEN another defaults table THEN the Dragonfly, database, set and certificate thresholds follow it', () => {
    const d: Defaults = { ...DEFAULTS, monitoring: { ...DEFAULTS.monitoring, alerts: { ...DEFAULTS.monitoring.alerts, dragonflyMemoryRatio: 0.7, databaseConnectionsRatio: 0.8, retrySetGrowthPerHour: 123, certificateDays: 21 } } };
    const rules = operations(objects(renderInstance(loadInstance(exampleVariant()), d).files));
    expect(exprOf(rules, 'MastodonDragonflyMemoryHigh')[0]).toMatch(/\) > 0\.7$/);
    expect(exprOf(rules, 'MastodonDatabaseConnectionsNearLimit')[0]).toMatch(/ > 0\.8$/);
    expect(exprOf(rules, 'MastodonSidekiqRetrySetGrowing')[0]).toMatch(/ > 123$/);
    expect(exprOf(rules, 'MastodonCertificateExpiring')[0]).toMatch(/ < 1814400$/);
  });

  test('GIVEN the connection budget THEN the database alert divides by its pool limit, and a pool size moves it', () => {
    const model = buildModel(loadInstance(exampleVariant()));
    // Less the direct clients: db:migrate 2, the scheduled and the pre-upgrade dump 1 each.
    expect(operationalAlertsPlan(model)!.database.limit).toBe(25 * 16 - 3 - 4);
    const sized = operations(render(exampleVariant({ instance: (t) => replaceOnce(t, '    planMemoryGiB: 16\n', '    planMemoryGiB: 16\n    size: 200\n') })));
    expect(exprOf(sized, 'MastodonDatabaseConnectionsNearLimit')[0]).toMatch(/\) \/ 200 > 0\.9$/);
  });

  test('GIVEN a backup schedule WHEN it changes THEN the window is twice its longest gap', () => {
    const rules = operations(objects(renderExample()));
    expect(exprOf(rules, 'MastodonBackupMissed', ['cronjob', 'backup-database'])[0]).toMatch(/ > 43200$/);
    expect(exprOf(rules, 'MastodonBackupMissed', ['cronjob', 'backup-media'])[0]).toMatch(/ > 172800$/);
    const weekly = operations(render(exampleVariant({ instance: (t) => replaceOnce(t, 'schedule: "30 4 * * *"', 'schedule: "30 4 * * 0"') })));
    expect(exprOf(weekly, 'MastodonBackupMissed', ['cronjob', 'backup-media'])[0]).toMatch(/ > 1209600$/);
  });

  test('GIVEN a backup schedule that never runs THEN it is refused with its place and what is allowed', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'schedule: "30 4 * * *"', 'schedule: "30 4 30 2 *"') });
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/^instance\.yaml:\d+:\d+: backups\.media\.schedule: "30 4 30 2 \*" cannot be watched by MastodonBackupMissed: the schedule never runs .*; allowed: a schedule that runs/)]);
  });

  test('GIVEN the cache Dragonfly (cache mode evicts near maxmemory) THEN its memory is not alerted on, the others are', () => {
    const expr = exprOf(operations(objects(renderExample())), 'MastodonDragonflyMemoryHigh')[0];
    expect(expr).toContain('mastodon/dragonfly-mastodon|mastodon/dragonfly-sidekiq"');
    expect(expr).not.toContain('dragonfly-cache');
  });

  test('GIVEN exporters outside the instance THEN their series match the object namespace as exported_namespace or namespace', () => {
    const rules = operations(everything());
    expect(exprOf(rules, 'MastodonCertificateExpiring')[0]).toContain('{exported_namespace="mastodon",name="example-social-tls"} or certmanager_certificate_expiration_timestamp_seconds{namespace="mastodon",exported_namespace="",name="example-social-tls"}');
    expect(exprOf(rules, 'MastodonKedaScalerErrors')[0]).toContain('scaledObject=~"sidekiq-default"');
    expect(rules.find((r) => r.alert === 'MastodonKedaScalerErrors').for).toBe('90s');
    expect(exprOf(rules, 'MastodonArgoCdAppUnhealthy')[0]).toContain('exported_namespace="argocd"');
  });

  test('GIVEN the switches off THEN the alerts on outside exporters and on detailed Sidekiq metrics are gone', () => {
    const rules = operations(withMonitoring(`${MONITORING}  sidekiqDetailedMetrics: false\n  alerts: { backups: false, certificates: false, keda: false }\n`, autoscaled));
    expect([...new Set(rules.map((r) => r.alert))].sort()).toEqual([
      'MastodonDatabaseConnectionsNearLimit', 'MastodonDatabasePoolWaiting', 'MastodonDragonflyMemoryHigh', 'MastodonMetricsTargetDown', 'MastodonSidekiqSchedulerMissing',
    ]);
  });

  test('GIVEN monitoring off THEN no PrometheusRule is rendered', () => {
    const all = render(exampleVariant({ instance: (t) => replaceOnce(t, MONITORING, '') }));
    expect(rulesOf(all)).toEqual([]);
  });
});

describe('runbooks', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');

  test('GIVEN every rendered alert THEN README.md has its runbook section (the heading its runbook_url points at)', () => {
    const headings = new Set([...readme.matchAll(/^#### (Mastodon\w+)$/gm)].map((m) => m[1].toLowerCase()));
    const alerts = new Set(rulesOf(everything()).filter((r) => r.alert).map((r) => r.alert as string));
    for (const alert of alerts) expect([alert, headings.has(alert.toLowerCase())]).toEqual([alert, true]);
  });

  test('GIVEN repository URLs THEN the runbook is the README on the Git host, without credentials', () => {
    expect(readmeUrl('https://github.com/example/gitops.git', 'main')).toBe('https://github.com/example/gitops/blob/main/README.md');
    expect(readmeUrl('git@github.com:example/gitops.git', 'HEAD')).toBe('https://github.com/example/gitops/blob/HEAD/README.md');
    expect(readmeUrl('ssh://git@gitlab.example.net:2222/ops/gitops.git', 'v1')).toBe('https://gitlab.example.net/ops/gitops/blob/v1/README.md');
    expect(readmeUrl('https://bot:token@git.example.net/ops/gitops', 'main')).toBe('https://git.example.net/ops/gitops/blob/main/README.md');
  });
});
