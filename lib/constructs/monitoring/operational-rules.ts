import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRules, PrometheusRuleSpecGroupsRulesExpr } from '../../../imports/prometheusrule-monitoring.coreos.com';
import { EXPORTED_NAMESPACE_LABEL, METRICS } from '../../catalog/metric-names';
import { duration, matchers, num, oneOf } from '../../core/promql';
import { objectLabels } from '../common/labels';
import { INSTANCE_LABEL, runbookAnchor } from './slo-rules';

/** A CronJob whose successes kube-state-metrics reports. */
export interface WatchedCronJob {
  /** The CronJob's name. */
  readonly name: string;
  readonly schedule: string;
  /** The longest gap between two of its runs, in seconds. */
  readonly gapSeconds: number;
  /** How long it may go without a success, in seconds. */
  readonly windowSeconds: number;
  readonly severity: 'critical' | 'warning';
}

export interface OperationalRulesProps {
  readonly instanceId: string;
  readonly namespace: string;
  /** Labels by which the Prometheus selects PrometheusRules (kube-prometheus-stack: `release`). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /**
   * The `job` label of the scrape targets (`<namespace>/<PodMonitor name>`), as PromQL regular
   * expressions: a pattern rather than a list where pools come and go, so adding or renaming a pool
   * leaves the rules alone.
   */
  readonly jobs: {
    readonly web: string;
    readonly streaming: string;
    /** Every Sidekiq pool. */
    readonly sidekiq: string;
    /** The Dragonflies whose memory is watched (not the cache). */
    readonly dragonflies: string;
    /** Every target, for the scrape alert. */
    readonly all: string;
  };
  readonly queues: readonly { readonly queue: string; readonly latencySeconds: number; readonly backlog: number }[];
  /** @default no retry/dead set alerts (they need detailed Sidekiq metrics) */
  readonly sidekiqSets?: { readonly retryGrowthPerHour: number; readonly deadGrowthPerHour: number };
  /** The jobs of the pools consuming the scheduler queue (a regular expression), and their names. @default none: no scheduler alert */
  readonly scheduler?: { readonly jobs: string; readonly pools: readonly string[] };
  readonly database: { readonly limit: number; readonly limitReason: string; readonly ratio: number };
  readonly dragonflyMemoryRatio: number;
  /** @default no certificate alerts */
  readonly certificate?: { readonly name: string; readonly days: number };
  readonly backups: readonly WatchedCronJob[];
  /** @default no KEDA alert */
  readonly keda?: { readonly scaledObjects: readonly string[]; readonly fallbackAfterSeconds: number };
  /** @default no Argo CD alert */
  readonly argocd?: { readonly namespace: string };
  /** The README whose sections are the runbooks. */
  readonly runbooks: string;
}

type Severity = 'critical' | 'warning';

/** How long a condition holds before an alert fires. */
const FOR = {
  /** A scheduler gone means no cron job runs, including the cleanup ones. */
  schedulerMissing: '5m',
  targetDown: '10m',
  queueLatency: '10m',
  queueBacklog: '15m',
  setGrowth: '15m',
  database: '10m',
  databaseWaiting: '5m',
  dragonflyMemory: '10m',
  backup: '5m',
  /** cert-manager renews at a third of the lifetime left; an hour rides out a scrape gap. */
  certificate: '1h',
  certificateNotReady: '30m',
  argocd: '15m',
} as const;

/** The object's own namespace, whether the exporter's monitor honours labels or not (see EXPORTED_NAMESPACE_LABEL). */
function inNamespace(metric: string, namespace: string, equal: Readonly<Record<string, string>>, regex: Readonly<Record<string, string>> = {}, range?: string): [string, string] {
  const r = range ? `[${range}]` : '';
  return [
    `${metric}${matchers({ [EXPORTED_NAMESPACE_LABEL]: namespace, ...equal }, regex)}${r}`,
    `${metric}${matchers({ namespace, [EXPORTED_NAMESPACE_LABEL]: '', ...equal }, regex)}${r}`,
  ];
}

/**
 * The instance's operational alerts as a PrometheusRule `<id>-operations`: Sidekiq queues, sets
 * and scheduler, the database connections against the budget, Dragonfly memory, backups, the
 * edge's certificate, KEDA and (optionally) Argo CD; each with a summary, a severity and its
 * README section (`runbook_url`). Every metric is listed, with its source, in lib/catalog/metric-names.ts.
 */
export class OperationalRules extends Construct {
  public readonly rule: PrometheusRule;

  constructor(scope: Construct, id: string, props: OperationalRulesProps) {
    super(scope, id);
    const { instanceId, namespace, jobs } = props;
    const rules: PrometheusRuleSpecGroupsRules[] = [];
    const alert = (name: string, severity: Severity, forDuration: string, expr: string, summary: string, description: string, labels: Readonly<Record<string, string>> = {}) => {
      rules.push({
        alert: name,
        expr: PrometheusRuleSpecGroupsRulesExpr.fromString(expr),
        for: forDuration,
        labels: { severity, [INSTANCE_LABEL]: instanceId, ...labels },
        annotations: { summary: `${instanceId}: ${summary}`, description, runbook_url: `${props.runbooks}#${runbookAnchor(name)}` },
      });
    };
    const of = (metric: string, jobRegex: string, equal: Readonly<Record<string, string>> = {}) =>
      `${metric}${matchers({ namespace, ...equal }, { job: jobRegex })}`;

    alert('MastodonMetricsTargetDown', 'warning', FOR.targetDown,
      `${of(METRICS.up, jobs.all)} == 0`,
      'Prometheus cannot scrape {{ $labels.job }} ({{ $labels.pod }})',
      'The scrape fails: the pod is down or not ready, or a NetworkPolicy keeps the scraper out. Alerts that read this target see nothing meanwhile.');

    if (props.scheduler) {
      alert('MastodonSidekiqSchedulerMissing', 'critical', FOR.schedulerMissing,
        `absent(${of(METRICS.sidekiqProcessConcurrency, props.scheduler.jobs)})`,
        'no Sidekiq process serves the scheduler queue',
        `No process of ${props.scheduler.pools.join(', ')} reports to Sidekiq: Mastodon's periodic jobs (cleanup, trends, scheduled posts) do not run.`);
    }

    for (const q of props.queues) {
      alert('MastodonSidekiqQueueLatencyHigh', 'warning', FOR.queueLatency,
        `max by (queue) (${of(METRICS.sidekiqQueueLatency, jobs.sidekiq, { queue: q.queue })}) > ${q.latencySeconds}`,
        `Sidekiq queue ${q.queue}: the oldest job has waited {{ $value | humanizeDuration }}`,
        `The oldest job of ${q.queue} has waited longer than ${duration(q.latencySeconds)} (monitoring.queues.${q.queue}.latencyMinutes) for ${FOR.queueLatency}.`,
        { queue: q.queue });
      alert('MastodonSidekiqQueueBacklogHigh', 'warning', FOR.queueBacklog,
        `max by (queue) (${of(METRICS.sidekiqQueueBacklog, jobs.sidekiq, { queue: q.queue })}) > ${q.backlog}`,
        `Sidekiq queue ${q.queue}: {{ $value }} jobs waiting`,
        `More than ${q.backlog} jobs (monitoring.queues.${q.queue}.backlog) have waited in ${q.queue} for ${FOR.queueBacklog}.`,
        { queue: q.queue });
    }

    if (props.sidekiqSets) {
      const growth = (metric: string) => `max(${of(metric, jobs.sidekiq)}) - max(${of(metric, jobs.sidekiq)} offset 1h)`;
      alert('MastodonSidekiqRetrySetGrowing', 'warning', FOR.setGrowth,
        `${growth(METRICS.sidekiqRetrySize)} > ${props.sidekiqSets.retryGrowthPerHour}`,
        'the Sidekiq retry set grew by {{ $value }} jobs in an hour',
        `More than ${props.sidekiqSets.retryGrowthPerHour} failed jobs an hour are waiting for a retry.`);
      alert('MastodonSidekiqDeadSetGrowing', 'warning', FOR.setGrowth,
        `${growth(METRICS.sidekiqDeadSize)} > ${props.sidekiqSets.deadGrowthPerHour}`,
        'the Sidekiq dead set grew by {{ $value }} jobs in an hour',
        `More than ${props.sidekiqSets.deadGrowthPerHour} jobs an hour exhausted their retries and were dropped into the dead set.`);
    }

    const rails = `${jobs.web}|${jobs.sidekiq}`;
    const { limit, ratio, limitReason } = props.database;
    alert('MastodonDatabaseConnectionsNearLimit', 'warning', FOR.database,
      `(sum(${of(METRICS.activeRecordConnections, rails)}) + (sum(${of(METRICS.streamingPgTotal, jobs.streaming)}) or vector(0))) / ${limit} > ${num(ratio)}`,
      'Mastodon holds {{ $value | humanizePercentage }} of the database connections it may open',
      `Open PostgreSQL connections of web, Sidekiq (ActiveRecord pools) and streaming, against the pool limit ${limit} (${limitReason}) of the connection budget; above ${num(ratio * 100)} % a deploy's surge pods find no connection.`);
    alert('MastodonDatabasePoolWaiting', 'warning', FOR.databaseWaiting,
      `sum by (job) (${of(METRICS.activeRecordWaiting, rails)}) > 0`,
      '{{ $labels.job }}: threads wait for a database connection',
      'Requests or jobs wait for a free connection of their ActiveRecord pool (DB_POOL) for longer than a moment.');

    if (jobs.dragonflies !== '') {
      alert('MastodonDragonflyMemoryHigh', 'warning', FOR.dragonflyMemory,
        `max by (job, pod) (${of(METRICS.dragonflyMemoryUsed, jobs.dragonflies)} / ${of(METRICS.dragonflyMemoryMax, jobs.dragonflies)}) > ${num(props.dragonflyMemoryRatio)}`,
        '{{ $labels.job }} ({{ $labels.pod }}) uses {{ $value | humanizePercentage }} of its maxmemory',
        `Above ${num(props.dragonflyMemoryRatio * 100)} % of maxmemory; at 100 % Dragonfly refuses writes and Mastodon's requests and jobs fail.`);
    }

    for (const b of props.backups) {
      const cronjob = { namespace, cronjob: b.name };
      alert('MastodonBackupMissed', b.severity, FOR.backup,
        `time() - max(${METRICS.cronJobLastSuccess}${matchers(cronjob)}) > ${b.windowSeconds}`,
        `CronJob ${b.name} has not succeeded for {{ $value | humanizeDuration }}`,
        `The last success of ${b.name} ("${b.schedule}", at most ${duration(b.gapSeconds)} between runs) is older than ${duration(b.windowSeconds)}.`,
        { cronjob: b.name });
      alert('MastodonBackupNeverSucceeded', b.severity, FOR.backup,
        `(time() - max(${METRICS.cronJobCreated}${matchers(cronjob)}) > ${b.windowSeconds}) unless on () max(${METRICS.cronJobLastSuccess}${matchers(cronjob)})`,
        `CronJob ${b.name} has never succeeded`,
        `${b.name} ("${b.schedule}") was created more than ${duration(b.windowSeconds)} ago and has no success yet.`,
        { cronjob: b.name });
    }

    if (props.certificate) {
      const c = props.certificate;
      const [exported, own] = inNamespace(METRICS.certificateExpiration, namespace, { name: c.name });
      alert('MastodonCertificateExpiring', 'critical', FOR.certificate,
        `min(${exported} or ${own}) - time() < ${c.days * 86400}`,
        `certificate ${c.name} expires in {{ $value | humanizeDuration }}`,
        `cert-manager has not renewed ${c.name} and fewer than ${c.days} days are left; browsers and other servers will refuse the instance when it expires.`,
        { certificate: c.name });
      const [exportedReady, ownReady] = inNamespace(METRICS.certificateReady, namespace, { name: c.name, condition: 'True' });
      alert('MastodonCertificateNotReady', 'warning', FOR.certificateNotReady,
        `max(${exportedReady} or ${ownReady}) == 0`,
        `certificate ${c.name} is not Ready`,
        `cert-manager reports ${c.name} not Ready for ${FOR.certificateNotReady}: issuance or renewal fails.`,
        { certificate: c.name });
    }

    if (props.keda) {
      const k = props.keda;
      const [exported, own] = inNamespace(METRICS.kedaScaledObjectErrors, namespace, {}, { scaledObject: oneOf(k.scaledObjects) }, '5m');
      alert('MastodonKedaScalerErrors', 'warning', duration(k.fallbackAfterSeconds),
        `sum by (scaledObject) (increase(${exported}) or increase(${own})) > 0`,
        'KEDA cannot read the queues of {{ $labels.scaledObject }}',
        `KEDA fails to read the Sidekiq Redis for ${duration(k.fallbackAfterSeconds)}: the ScaledObject's fallback replica count is in force and the pool no longer follows its backlog.`,
      );
    }

    if (props.argocd) {
      const [exported, own] = inNamespace(METRICS.argocdAppInfo, props.argocd.namespace, {}, { name: `${oneOf([instanceId])}-[a-z]+`, health_status: 'Degraded|Missing' });
      alert('MastodonArgoCdAppUnhealthy', 'warning', FOR.argocd,
        `max by (name, health_status) (${exported} or ${own}) == 1`,
        'Argo CD Application {{ $labels.name }} is {{ $labels.health_status }}',
        `An Application of ${instanceId} has been Degraded or Missing for ${FOR.argocd}.`);
    }

    const name = `${instanceId}-operations`;
    this.rule = new PrometheusRule(this, 'Resource', {
      metadata: { name, labels: { ...props.selectorLabels, ...objectLabels(instanceId, 'monitoring') } },
      spec: { groups: [{ name, rules }] },
    });
  }
}
