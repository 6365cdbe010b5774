import { BURN_WINDOWS, SLO_PERIOD_HOURS } from '../../lib/catalog/slo';
import { burnAlerts } from '../../lib/model/slo';
import { exampleVariant, objects, problemsOf, renderExample, replaceOnce, renderedFiles } from '../helpers';
import { promqlErrors, rulesOf } from './promql';

/**
 * GIVEN an availability objective WHEN rendered THEN the PrometheusRule `<id>-slo` holds the
 * workbook's burn-rate alerts with thresholds computed from it, and every expression is PromQL that
 * Prometheus' own parser (@prometheus-io/lezer-promql, the grammar of Prometheus' web UI) accepts.
 */


const withMonitoring = (monitoring: string) => objects(renderedFiles(exampleVariant({ instance: (t) => replaceOnce(t, 'monitoring:\n  enabled: true\n', monitoring) })));
const atObjective = (o: number) => withMonitoring(`monitoring:\n  enabled: true\n  slo: { availability: ${o} }\n`);

describe('PromQL of every rule', () => {
  test('GIVEN a broken expression THEN the check finds it (the canary: it can fail)', () => {
    for (const bad of ['sum(rate(x[5m])', 'rate(x[5x])', 'foo bar', 'x{a="b"', 'x > bool']) expect([bad, promqlErrors(bad).length > 0]).toEqual([bad, true]);
    expect(promqlErrors('1 - (max(up{job="a"}) or vector(0))')).toEqual([]);
  });

  test('GIVEN the example THEN every rule expression parses', () => {
    const rules = rulesOf(objects(renderExample()));
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect([rule.record ?? rule.alert, rule.expr, promqlErrors(rule.expr)]).toEqual([rule.record ?? rule.alert, rule.expr, []]);
  });
});

describe('burn-rate alerts follow the objective', () => {
  test('THEN each factor is the budget share × the 30-day period / the long window: 14.4, 6 and 1 (SRE workbook table 5-8)', () => {
    expect(burnAlerts(0.999).map((a) => [a.long, a.short, a.factor, a.severity])).toEqual([['1h', '5m', 14.4, 'critical'], ['6h', '30m', 6, 'critical'], ['3d', '6h', 1, 'warning']]);
    for (const w of BURN_WINDOWS) expect(burnAlerts(0.99).find((a) => a.long === w.long)!.factor).toBeCloseTo(w.budgetShare * SLO_PERIOD_HOURS / w.longHours, 12);
  });

  test('GIVEN objectives 0.99, 0.995, 0.999, 0.9995 THEN every alert\'s threshold is factor × (1 − objective), and moves with it', () => {
    const seen = new Map<string, number[]>();
    for (const objective of [0.99, 0.995, 0.999, 0.9995]) {
      const alerts = rulesOf(atObjective(objective)).filter((r) => r.alert && r.object.endsWith('-slo'));
      expect(alerts.map((a) => `${a.alert}/${a.labels.long_window}`).sort()).toEqual([
        'MastodonStreamingErrorBudgetBurn/1h', 'MastodonStreamingErrorBudgetBurn/3d', 'MastodonStreamingErrorBudgetBurn/6h',
        'MastodonWebErrorBudgetBurn/1h', 'MastodonWebErrorBudgetBurn/3d', 'MastodonWebErrorBudgetBurn/6h']);
      for (const a of alerts) {
        const thresholds = [...a.expr.matchAll(/> \(([\d.]+) \* ([\d.]+)\)/g)].map((m) => Number(m[1]) * Number(m[2]));
        const factor = { '1h': 14.4, '6h': 6, '3d': 1 }[a.labels.long_window as string]!;
        expect(thresholds).toHaveLength(2);
        for (const t of thresholds) expect(t).toBeCloseTo(factor * (1 - objective), 12);
        const key = `${a.alert}/${a.labels.long_window}`;
        seen.set(key, [...(seen.get(key) ?? []), thresholds[0]]);
        expect(a.annotations.summary).toContain(`${Number((objective * 100).toPrecision(12))} %`);
        expect(Object.keys(a.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
        expect(['critical', 'warning']).toContain(a.labels.severity);
      }
    }
    for (const [key, values] of seen) expect([key, new Set(values).size]).toEqual([key, 4]);
  });

  test('GIVEN an objective below 0.931 THEN it is refused: the 14.4× alert could never fire', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'monitoring:\n  enabled: true\n', 'monitoring:\n  enabled: true\n  slo: { availability: 0.9 }\n') });
    expect(problemsOf(dir)).toEqual(['instance.yaml:147:24: monitoring.slo.availability: 0.9 is not allowed: must be >= 0.931; allowed: a number from 0.931 to below 1, such as 0.999 or 0.995']);
  });

  test('GIVEN web detailed metrics off THEN there is no web SLI (it needs the status), streaming\'s stays', () => {
    const alerts = rulesOf(withMonitoring('monitoring:\n  enabled: true\n  webDetailedMetrics: false\n')).filter((r) => r.alert && r.object.endsWith('-slo'));
    expect([...new Set(alerts.map((a) => a.alert))]).toEqual(['MastodonStreamingErrorBudgetBurn']);
  });
});
