import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRules, PrometheusRuleSpecGroupsRulesExpr } from '../../../imports/prometheusrule-monitoring.coreos.com';
import { SLO_RATE_WINDOWS, SLO_RULE_INTERVAL } from '../../catalog/slo';
import { matchers as sel, num } from '../../core/promql';
import { objectLabels } from '../common/labels';

/** One burn-rate alert, resolved (lib/model/slo.ts). */
export interface BurnAlertProps {
  readonly long: string;
  readonly short: string;
  readonly factor: number;
  readonly budget: number;
  readonly budgetShare: number;
  readonly severity: 'critical' | 'warning';
  /** How long both windows stay above the threshold before it fires. */
  readonly for: string;
}

export interface SloRulesProps {
  readonly instanceId: string;
  readonly namespace: string;
  /** Labels by which the Prometheus selects PrometheusRules (kube-prometheus-stack: `release`). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** The objective, e.g. 0.999. */
  readonly availability: number;
  readonly burnAlerts: readonly BurnAlertProps[];
  /** The `job` label of web's and streaming's scrape targets (`<namespace>/<PodMonitor name>`). */
  readonly jobs: { readonly web: string; readonly streaming: string };
  /** Web's SLI needs the request status (detailed web metrics). */
  readonly webSli: boolean;
  /** The README whose sections explain each alert (its URL). */
  readonly runbooks: string;
}

/** The label on every rule's series that names the instance. */
export const INSTANCE_LABEL = 'mastodon_instance';

/** The recording rule of web's 5xx ratio over a window. */
export const webErrorRatio = (window: string): string => `mastodon:web_request_errors:ratio_rate${window}`;
/** The recording rule that is 1 while no streaming pod answers its scrape. */
export const STREAMING_UNAVAILABLE = 'mastodon:streaming_unavailable';

/** GitHub's anchor of a README heading that is an alert's name (`#### MastodonWebErrorBudgetBurn`). */
export function runbookAnchor(alert: string): string {
  return alert.toLowerCase();
}

const percent = (x: number) => `${num(x * 100)} %`;

/**
 * The instance's SLO as a PrometheusRule `<id>-slo`: recording rules for each SLI over every window,
 * and the workbook's burn-rate alerts on them, with thresholds computed from the objective.
 * - Web: the 5xx ratio of requests that reached Rails (`status` 5xx, or -1 for an exception in the
 *   middleware, discourse/prometheus_exporter@v2.3.1 lib/prometheus_exporter/middleware.rb:62).
 * - Streaming: time-based, a minute is bad when no streaming pod answers its scrape (it exports no
 *   request outcomes, mastodon streaming/metrics.js).
 */
export class SloRules extends Construct {
  public readonly rule: PrometheusRule;

  constructor(scope: Construct, id: string, props: SloRulesProps) {
    super(scope, id);
    const { instanceId, namespace } = props;
    const own = { [INSTANCE_LABEL]: instanceId, namespace };
    const ofInstance = sel({ [INSTANCE_LABEL]: instanceId });
    const expr = (e: string) => PrometheusRuleSpecGroupsRulesExpr.fromString(e);
    const record = (name: string, e: string): PrometheusRuleSpecGroupsRules => ({ record: name, expr: expr(e), labels: own });

    const web = sel({ namespace, job: props.jobs.web });
    const webErrors = sel({ namespace, job: props.jobs.web }, { status: '5..|-1' });
    const webRatio = webErrorRatio;
    const streamingRatio = (w: string) => `${STREAMING_UNAVAILABLE}:ratio_avg${w}`;

    const slis = [
      ...(props.webSli ? [{
        key: 'web', alert: 'MastodonWebErrorBudgetBurn', slo: 'web-availability', ratio: webRatio, what: 'web requests failing (5xx)',
        records: SLO_RATE_WINDOWS.map((w) => record(webRatio(w), `sum(rate(http_requests_total${webErrors}[${w}])) / sum(rate(http_requests_total${web}[${w}]))`)),
      }] : []),
      {
        key: 'streaming', alert: 'MastodonStreamingErrorBudgetBurn', slo: 'streaming-availability', ratio: streamingRatio, what: 'time with no streaming pod answering',
        records: [
          record(STREAMING_UNAVAILABLE, `1 - (max(up${sel({ namespace, job: props.jobs.streaming })}) or vector(0))`),
          ...SLO_RATE_WINDOWS.map((w) => record(streamingRatio(w), `avg_over_time(${STREAMING_UNAVAILABLE}${ofInstance}[${w}])`)),
        ],
      },
    ];

    const alerts = slis.flatMap((s) => props.burnAlerts.map((b): PrometheusRuleSpecGroupsRules => {
      const threshold = `(${b.factor} * ${b.budget})`;
      return {
        alert: s.alert,
        expr: expr(`${s.ratio(b.long)}${ofInstance} > ${threshold} and ${s.ratio(b.short)}${ofInstance} > ${threshold}`),
        for: b.for,
        labels: { severity: b.severity, slo: s.slo, long_window: b.long, [INSTANCE_LABEL]: instanceId },
        annotations: {
          summary: `${instanceId}: ${s.key} is burning its ${percent(props.availability)} error budget ${b.factor}× too fast (${percent(b.budgetShare)} of the 30-day budget in ${b.long})`,
          description: `${s.what}: {{ $value | humanizePercentage }} over ${b.long} (and over ${b.short}), above ${b.factor} × the budget ${b.budget} = ${percent(b.factor * b.budget)}.`,
          runbook_url: `${props.runbooks}#${runbookAnchor(s.alert)}`,
        },
      };
    }));

    const name = `${instanceId}-slo`;
    this.rule = new PrometheusRule(this, 'Resource', {
      metadata: { name, labels: { ...props.selectorLabels, ...objectLabels(instanceId, 'monitoring') } },
      spec: {
        groups: [
          { name: `${name}-records`, interval: SLO_RULE_INTERVAL, rules: slis.flatMap((s) => s.records) },
          { name: `${name}-alerts`, interval: SLO_RULE_INTERVAL, rules: alerts },
        ],
      },
    });
  }
}
