import { DRAGONFLY_CONTAINER_PORTS } from '../catalog/dragonfly-operator';
import { DRAGONFLY_METRICS_PORT_NAME, EXPORTER_PORT, METRICS_PORT_NAME } from '../catalog/prometheus-exporter';
import { STREAMING_PORT } from '../catalog/mastodon-processes';
import { REDIS_ROLES } from '../catalog/redis';
import { dragonflyName, dragonflySelectorLabels } from '../constructs/common/dragonfly-labels';
import { STREAMING_PORT_NAME } from '../constructs/mastodon/streaming';
import { MetricsTarget } from '../constructs/monitoring/metrics-target';
import { WorkloadRef } from '../constructs/common/workload-ref';
import { InstanceModel } from '../model/types';
import { oneOf } from '../core/promql';
import { operationalAlertsPlan } from '../model/operational-alerts';
import { OperationalRulesProps } from '../constructs/monitoring/operational-rules';
import { GrafanaDashboardProps } from '../constructs/monitoring/grafana-dashboard';
import { DATABASE_BACKUP_NAME } from '../constructs/backup/database-backup';
import { MEDIA_BACKUP_NAME } from '../constructs/backup/media-backup';

/** The Mastodon workloads of the chart, as rendered. */
export interface MastodonWorkloads {
  readonly web: { readonly workload: WorkloadRef };
  readonly streaming: { readonly workload: WorkloadRef };
  readonly sidekiqPools: readonly { readonly workload: WorkloadRef }[];
}

/**
 * What Prometheus scrapes, and on which port: web's exporter sidecar and Sidekiq's local server
 * (`metrics`, 9394), streaming's own port (its Express app serves /metrics beside the API,
 * M streaming/index.js:268), and each Dragonfly run here on its admin port (see DRAGONFLY_METRICS_PORT_NAME).
 */
export function metricsTargets(model: InstanceModel, w: MastodonWorkloads): MetricsTarget[] {
  const exporter = { name: METRICS_PORT_NAME, number: EXPORTER_PORT };
  const of = (ref: WorkloadRef, port: MetricsTarget['port']): MetricsTarget => ({ name: ref.name, selector: ref.selector, port });
  return [
    of(w.web.workload, exporter),
    ...w.sidekiqPools.map((p) => of(p.workload, exporter)),
    of(w.streaming.workload, { name: STREAMING_PORT_NAME, number: STREAMING_PORT }),
    ...REDIS_ROLES.filter(({ role }) => 'dragonfly' in model.redis[role]).map(({ role }) => ({
      name: dragonflyName(role),
      selector: dragonflySelectorLabels(model.instanceId, role),
      port: { name: DRAGONFLY_METRICS_PORT_NAME, number: DRAGONFLY_CONTAINER_PORTS[DRAGONFLY_METRICS_PORT_NAME] },
    })),
  ];
}

/** Every pool's Deployment, and so its PodMonitor, is `sidekiq-<pool>` (SidekiqPool). */
const SIDEKIQ_PREFIX = 'sidekiq-';

/**
 * The `job` labels of the scrape targets as PromQL regular expressions: a PodMonitor without
 * jobLabel names its targets' job `<namespace>/<PodMonitor name>` (prometheus-operator@v0.93.0
 * pkg/prometheus/promcfg.go:1632-1635). The Sidekiq pools are one pattern, so adding or renaming a
 * pool leaves the rules and the dashboard alone.
 */
function targetJobs(model: InstanceModel, w: MastodonWorkloads, targets: readonly MetricsTarget[]) {
  const jobs = (names: readonly string[]) => oneOf(names.map((name) => `${model.namespace}/${name}`));
  const sidekiqNames = new Set(w.sidekiqPools.map((p) => p.workload.name));
  if (![...sidekiqNames].every((name) => name.startsWith(SIDEKIQ_PREFIX))) throw new Error(`a Sidekiq pool not named ${SIDEKIQ_PREFIX}<pool>`);
  const sidekiq = `${jobs([SIDEKIQ_PREFIX])}.+`;
  return {
    jobs,
    web: jobs([w.web.workload.name]),
    streaming: jobs([w.streaming.workload.name]),
    sidekiq,
    all: `${jobs(targets.map((t) => t.name).filter((name) => !sidekiqNames.has(name)))}|${sidekiq}`,
  };
}

/** The operational alerts of an instance with monitoring: the model's plan, with the chart's target jobs and backup CronJobs. */
export function operationalRulesProps(model: InstanceModel, w: MastodonWorkloads, targets: readonly MetricsTarget[]): OperationalRulesProps {
  const monitoring = model.monitoring!;
  const plan = operationalAlertsPlan(model)!;
  const { jobs, web, streaming, sidekiq, all } = targetJobs(model, w, targets);
  const { database, media } = plan.backups;
  return {
    instanceId: model.instanceId,
    namespace: model.namespace,
    selectorLabels: monitoring.selectorLabels,
    jobs: { web, streaming, sidekiq, dragonflies: jobs(plan.dragonflies.roles.map(dragonflyName)), all },
    queues: plan.queues,
    ...(plan.sidekiqSets ? { sidekiqSets: plan.sidekiqSets } : {}),
    ...(plan.schedulerPools.length > 0 ? { scheduler: { jobs: jobs(plan.schedulerPools), pools: plan.schedulerPools } } : {}),
    database: plan.database,
    dragonflyMemoryRatio: plan.dragonflies.memoryRatio,
    ...(plan.certificate ? { certificate: plan.certificate } : {}),
    backups: [
      ...(database ? [{ name: DATABASE_BACKUP_NAME, ...database, severity: 'critical' as const }] : []),
      // Media is copied again the next day; a missed copy is a ticket, not a page.
      ...(media ? [{ name: MEDIA_BACKUP_NAME, ...media, severity: 'warning' as const }] : []),
    ],
    ...(plan.keda ? { keda: plan.keda } : {}),
    ...(plan.argocd ? { argocd: { namespace: plan.argocd.namespace } } : {}),
    runbooks: monitoring.runbooks,
  };
}

/** The instance's Grafana dashboard, when monitoring and the dashboard are on. */
export function grafanaDashboardProps(model: InstanceModel, w: MastodonWorkloads, targets: readonly MetricsTarget[]): GrafanaDashboardProps | undefined {
  const monitoring = model.monitoring;
  if (!monitoring?.dashboard) return undefined;
  const { jobs, web, streaming, sidekiq } = targetJobs(model, w, targets);
  const dragonflies = REDIS_ROLES.filter(({ role }) => 'dragonfly' in model.redis[role]).map(({ role }) => dragonflyName(role));
  return {
    instanceId: model.instanceId,
    namespace: model.namespace,
    label: monitoring.dashboard.label,
    jobs: { web, streaming, sidekiq, dragonflies: dragonflies.length > 0 ? jobs(dragonflies) : '' },
    errorBudget: 1 - monitoring.slo.availability,
    databaseLimit: operationalAlertsPlan(model)!.database.limit,
    webDetailed: monitoring.webDetailedMetrics,
    sidekiqDetailed: monitoring.sidekiqDetailedMetrics,
  };
}
