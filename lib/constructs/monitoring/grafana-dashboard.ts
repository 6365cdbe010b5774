import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { METRICS } from '../../catalog/metric-names';
import { matchers, num } from '../../core/promql';
import { objectLabels } from '../common/labels';
import { INSTANCE_LABEL, STREAMING_UNAVAILABLE, webErrorRatio } from './slo-rules';

export interface GrafanaDashboardProps {
  readonly instanceId: string;
  readonly namespace: string;
  /** The label (name and value) by which Grafana's sidecar collects dashboard ConfigMaps. */
  readonly label: { readonly name: string; readonly value: string };
  /** The `job` label of the scrape targets, as PromQL regular expressions (see OperationalRulesProps). */
  readonly jobs: { readonly web: string; readonly streaming: string; readonly sidekiq: string; readonly dragonflies: string };
  /** 1 − the availability objective. */
  readonly errorBudget: number;
  /** The connection budget's pool limit. */
  readonly databaseLimit: number;
  /** Request status and latency (detailed web metrics); without them the web row shows Puma only. */
  readonly webDetailed: boolean;
  /** Per-queue and per-job Sidekiq metrics (detailed Sidekiq metrics). */
  readonly sidekiqDetailed: boolean;
}

/** One query of a panel. */
interface Target {
  readonly expr: string;
  readonly legendFormat: string;
}

/** A panel before layout: what it shows. */
interface PanelSpec {
  readonly title: string;
  readonly type: 'timeseries' | 'stat';
  readonly unit: string;
  readonly targets: readonly Target[];
  readonly description?: string;
}

interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

/** Grafana's dashboard JSON schema version this model follows (Grafana 11). */
const SCHEMA_VERSION = 39;
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;
const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;
const GRID_WIDTH = 24;

/** The dashboard's file in the ConfigMap, and its uid (at most 40 characters in Grafana). */
export const dashboardUid = (instanceId: string): string => `mastodon-${instanceId}`.slice(0, 40);

/** The rows of an instance's dashboard, each panel's queries built from the catalogued metric names. */
function rows(p: GrafanaDashboardProps): RowSpec[] {
  const { namespace, jobs } = p;
  const of = (metric: string, job: string, equal: Readonly<Record<string, string>> = {}, regex: Readonly<Record<string, string>> = {}) =>
    `${metric}${matchers({ namespace, ...equal }, { job, ...regex })}`;
  const rate = (selector: string) => `rate(${selector}[$__rate_interval])`;
  const t = (expr: string, legendFormat: string): Target => ({ expr, legendFormat });
  const own = matchers({ [INSTANCE_LABEL]: p.instanceId });
  const rails = `${jobs.web}|${jobs.sidekiq}`;
  const webErrors = of(METRICS.httpRequests, jobs.web, {}, { status: '5..|-1' });
  const webAll = of(METRICS.httpRequests, jobs.web);
  const quantile = (q: number) => t(`histogram_quantile(${q}, sum by (le) (${rate(of(`${METRICS.httpRequestDuration}_bucket`, jobs.web))}))`, `p${num(q * 100)}`);
  return [
    {
      title: 'Web',
      panels: p.webDetailed ? [
        { title: 'Requests by status', type: 'timeseries', unit: 'reqps', targets: [t(`sum by (status) (${rate(webAll)})`, '{{status}}')] },
        {
          title: 'Error ratio (5xx) against the objective', type: 'timeseries', unit: 'percentunit',
          targets: [t(`${webErrorRatio('5m')}${own}`, '5xx, 5m'), t(`vector(${num(p.errorBudget)})`, 'error budget (1 − objective)')],
        },
        { title: 'Latency', type: 'timeseries', unit: 's', targets: [quantile(0.5), quantile(0.95), quantile(0.99)] },
        {
          title: 'Slowest actions (mean)', type: 'timeseries', unit: 's',
          targets: [t(`topk(10, sum by (controller, action) (${rate(of(`${METRICS.httpRequestDuration}_sum`, jobs.web))}) / sum by (controller, action) (${rate(of(`${METRICS.httpRequestDuration}_count`, jobs.web))}))`, '{{controller}}#{{action}}')],
        },
      ] : [
        { title: 'Requests', type: 'timeseries', unit: 'reqps', description: 'Web detailed metrics are off: no status or latency.', targets: [t(`sum(${rate(webAll)})`, 'requests')] },
      ],
    },
    {
      title: 'Streaming',
      panels: [
        { title: 'Connected clients', type: 'timeseries', unit: 'short', targets: [t(`sum by (type) (${of(METRICS.streamingClients, jobs.streaming)})`, '{{type}}')] },
        { title: 'Pods answering', type: 'timeseries', unit: 'short', targets: [t(`sum(${of(METRICS.up, jobs.streaming)})`, 'up')] },
      ],
    },
    {
      title: 'Sidekiq',
      panels: [
        ...(p.sidekiqDetailed ? [
          { title: 'Jobs processed per queue', type: 'timeseries', unit: 'ops', targets: [t(`sum by (queue) (${rate(of(METRICS.sidekiqJobs, jobs.sidekiq))})`, '{{queue}}')] },
          { title: 'Jobs failed per queue', type: 'timeseries', unit: 'ops', targets: [t(`sum by (queue) (${rate(of(METRICS.sidekiqFailedJobs, jobs.sidekiq))})`, '{{queue}}')] },
          { title: 'Queue latency (oldest job)', type: 'timeseries', unit: 's', targets: [t(`max by (queue) (${of(METRICS.sidekiqQueueLatency, jobs.sidekiq)})`, '{{queue}}')] },
          { title: 'Queue backlog', type: 'timeseries', unit: 'short', targets: [t(`max by (queue) (${of(METRICS.sidekiqQueueBacklog, jobs.sidekiq)})`, '{{queue}}')] },
          {
            title: 'Retry and dead sets', type: 'timeseries', unit: 'short',
            targets: [t(`max(${of(METRICS.sidekiqRetrySize, jobs.sidekiq)})`, 'retry'), t(`max(${of(METRICS.sidekiqDeadSize, jobs.sidekiq)})`, 'dead')],
          },
        ] as PanelSpec[] : []),
        {
          title: 'Busy threads per pool', type: 'timeseries', unit: 'percentunit',
          targets: [t(`sum by (job) (${of(METRICS.sidekiqProcessBusy, jobs.sidekiq)}) / sum by (job) (${of(METRICS.sidekiqProcessConcurrency, jobs.sidekiq)})`, '{{job}}')],
        },
      ],
    },
    {
      title: 'Database',
      panels: [
        {
          title: 'Open connections against the budget', type: 'timeseries', unit: 'short',
          description: 'ActiveRecord pools of web and Sidekiq, the streaming server\'s pool, and the pool limit of the connection budget.',
          targets: [
            t(`sum by (type) (${of(METRICS.activeRecordConnections, rails)})`, '{{type}}'),
            t(`sum(${of(METRICS.streamingPgTotal, jobs.streaming)})`, 'streaming'),
            t(`vector(${p.databaseLimit})`, 'pool limit'),
          ],
        },
        {
          title: 'Busy and waiting', type: 'timeseries', unit: 'short',
          targets: [t(`sum by (job) (${of(METRICS.activeRecordBusy, rails)})`, 'busy {{job}}'), t(`sum by (job) (${of(METRICS.activeRecordWaiting, rails)})`, 'waiting {{job}}')],
        },
      ],
    },
    ...(jobs.dragonflies === '' ? [] : [{
      title: 'Dragonfly',
      panels: [
        { title: 'Memory used', type: 'timeseries', unit: 'bytes', targets: [t(`max by (job, pod) (${of(METRICS.dragonflyMemoryUsed, jobs.dragonflies)})`, '{{job}} {{pod}}')] },
        {
          title: 'Memory used of maxmemory', type: 'timeseries', unit: 'percentunit',
          targets: [t(`max by (job, pod) (${of(METRICS.dragonflyMemoryUsed, jobs.dragonflies)} / ${of(METRICS.dragonflyMemoryMax, jobs.dragonflies)})`, '{{job}} {{pod}}')],
        },
      ] as PanelSpec[],
    }]),
    {
      title: 'Error budget (over the dashboard\'s time range)',
      panels: [
        ...(p.webDetailed ? [{
          title: 'Web: error budget left', type: 'stat', unit: 'percentunit',
          description: 'Share of the budget not yet spent: 1 − (5xx ratio over the range) / (1 − objective). Set the range to 30 days for the month.',
          targets: [t(`1 - (sum(increase(${webErrors}[$__range])) / sum(increase(${webAll}[$__range]))) / ${num(p.errorBudget)}`, 'web')],
        } as PanelSpec] : []),
        {
          title: 'Streaming: error budget left', type: 'stat', unit: 'percentunit',
          description: 'Share of the budget not yet spent: 1 − (time with no streaming pod answering) / (1 − objective).',
          targets: [t(`1 - avg_over_time(${STREAMING_UNAVAILABLE}${own}[$__range]) / ${num(p.errorBudget)}`, 'streaming')],
        },
      ],
    },
  ];
}

/** Rows and panels laid out two panels a line, with ids in order. */
function layout(specs: readonly RowSpec[]): unknown[] {
  const panels: unknown[] = [];
  let y = 0;
  let id = 1;
  for (const row of specs) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: GRID_WIDTH, x: 0, y }, panels: [] });
    y += 1;
    row.panels.forEach((panel, i) => {
      panels.push({
        id: id++,
        type: panel.type,
        title: panel.title,
        ...(panel.description ? { description: panel.description } : {}),
        datasource: DATASOURCE,
        gridPos: { h: PANEL_HEIGHT, w: PANEL_WIDTH, x: (i % 2) * PANEL_WIDTH, y: y + Math.floor(i / 2) * PANEL_HEIGHT },
        fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
        options: panel.type === 'stat' ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } } : { legend: { displayMode: 'list', placement: 'bottom' } },
        targets: panel.targets.map((target, j) => ({ refId: String.fromCharCode(65 + j), datasource: DATASOURCE, expr: target.expr, legendFormat: target.legendFormat })),
      });
    });
    y += Math.ceil(row.panels.length / 2) * PANEL_HEIGHT;
  }
  return panels;
}

/** The dashboard model (Grafana's JSON), a pure function of the props. */
export function dashboardModel(p: GrafanaDashboardProps): Record<string, unknown> {
  return {
    uid: dashboardUid(p.instanceId),
    title: `Mastodon ${p.instanceId}`,
    tags: ['mastodon', p.instanceId],
    timezone: 'utc',
    editable: true,
    schemaVersion: SCHEMA_VERSION,
    time: { from: 'now-24h', to: 'now' },
    refresh: '1m',
    templating: { list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }] },
    annotations: { list: [] },
    panels: layout(rows(p)),
  };
}

/**
 * The instance's Grafana dashboard as a ConfigMap `<id>-grafana-dashboard` that Grafana's sidecar
 * collects by its label: web requests, latency and errors, streaming, Sidekiq throughput, latency
 * and backlog per queue, database connections against the budget, Dragonfly memory, and the
 * error budget left. Built from typed panels, so every query reads catalogued metrics (the tests
 * parse each one).
 */
export class GrafanaDashboard extends Construct {
  public readonly configMap: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id);
    this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: `${props.instanceId}-grafana-dashboard`,
        labels: { ...objectLabels(props.instanceId, 'monitoring'), [props.label.name]: props.label.value },
      },
      data: { [`${dashboardUid(props.instanceId)}.json`]: `${JSON.stringify(dashboardModel(props), null, 2)}\n` },
    });
  }
}
