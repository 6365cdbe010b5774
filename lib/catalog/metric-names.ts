/**
 * Every Prometheus metric the rules and the dashboard read, with the line of the program that
 * exports it at the pinned release. A rule may only use a name listed here
 * (test/monitoring/operational-rules.test.ts), so a typo fails the build, not the page.
 *
 * PE = discourse/prometheus_exporter@v2.3.1 (Mastodon's Gemfile.lock pins 2.3.1); names carry no
 * prefix (see EXPORTER_SIDECAR in prometheus-exporter.ts). M = mastodon/mastodon@cebb47f7f7.
 */
export const METRICS = {
  /** Counter {controller, action, status}; PE lib/prometheus_exporter/server/web_collector.rb:32-36 (detailed web metrics). */
  httpRequests: 'http_requests_total',
  /** Histogram (`--histogram`) {controller, action}; PE server/web_collector.rb:38-40, metric/histogram.rb:61-65. */
  httpRequestDuration: 'http_request_duration_seconds',
  /** Gauges {queue}, reported every 30 s by each process serving the queue; PE server/sidekiq_queue_collector.rb:6-9,30, instrumentation/sidekiq_queue.rb:5,35-39. */
  sidekiqQueueBacklog: 'sidekiq_queue_backlog',
  sidekiqQueueLatency: 'sidekiq_queue_latency_seconds',
  /** Global gauges, no labels, the same from every process; PE server/sidekiq_stats_collector.rb:7-16,36. */
  sidekiqRetrySize: 'sidekiq_stats_retry_size',
  sidekiqDeadSize: 'sidekiq_stats_dead_size',
  /** Gauge per Sidekiq process {queues, hostname, identity, …}; PE server/sidekiq_process_collector.rb:7-10,31-35, instrumentation/sidekiq_process.rb:27-37; always on (M config/initializers/sidekiq.rb:41). */
  sidekiqProcessConcurrency: 'sidekiq_process_concurrency',
  sidekiqProcessBusy: 'sidekiq_process_busy',
  /** Counters {job_name, queue}; PE server/sidekiq_collector.rb:18-31 (detailed Sidekiq metrics). */
  sidekiqJobs: 'sidekiq_jobs_total',
  sidekiqFailedJobs: 'sidekiq_failed_jobs_total',
  /** Gauges per process and pool {pid, hostname, pool_name, type}; PE server/active_record_collector.rb:7-14,35-44; M config/puma.rb:34-37, config/initializers/sidekiq.rb:44-47. */
  activeRecordConnections: 'active_record_connection_pool_connections',
  activeRecordBusy: 'active_record_connection_pool_busy',
  activeRecordWaiting: 'active_record_connection_pool_waiting',
  /** The streaming server's PostgreSQL pool (node-postgres); M streaming/metrics.js:25-46. */
  streamingPgTotal: 'pg_pool_total_connections',
  streamingPgIdle: 'pg_pool_idle_connections',
  /** M streaming/metrics.js:49-53. */
  streamingClients: 'connected_clients',
  /** dragonflydb/dragonfly@v1.40.1 src/server/metrics.cc:56 (prefix `dragonfly_`), :221 (heap used), :234 (maxmemory in force). */
  dragonflyMemoryUsed: 'dragonfly_memory_used_bytes',
  dragonflyMemoryMax: 'dragonfly_memory_max_bytes',
  /** {name, namespace, issuer_*}; cert-manager/cert-manager@v1.21.1 internal/collectors/certificate_collector.go:33. */
  certificateExpiration: 'certmanager_certificate_expiration_timestamp_seconds',
  /** {name, namespace, condition, issuer_*}; certificate_collector.go:30. */
  certificateReady: 'certmanager_certificate_ready_status',
  /** {namespace, cronjob}, absent until a first success; kubernetes/kube-state-metrics@v2.20.0 internal/store/cronjob.go:48,181-196. */
  cronJobLastSuccess: 'kube_cronjob_status_last_successful_time',
  /** kube-state-metrics@v2.20.0 internal/store/cronjob.go:48,120 (creation time). */
  cronJobCreated: 'kube_cronjob_created',
  /** Counter {namespace, scaledObject}, raised on every failed read of a trigger; kedacore/keda@v2.20.2 pkg/metricscollector/prommetrics.go:89-97,266-284, metricscollectors.go:33. */
  kedaScaledObjectErrors: 'keda_scaled_object_errors_total',
  /** {namespace, name, project, …, health_status}; argoproj/argo-cd@v3.5.1 controller/metrics/metrics.go:60,65-69. */
  argocdAppInfo: 'argocd_app_info',
  /** Prometheus' own, per target. */
  up: 'up',
} as const;

export type MetricName = (typeof METRICS)[keyof typeof METRICS];

/** Every name above, and the series the histogram and the rules derive from them. */
export const KNOWN_METRICS: ReadonlySet<string> = new Set([
  ...Object.values(METRICS),
  ...['bucket', 'sum', 'count'].map((s) => `${METRICS.httpRequestDuration}_${s}`),
]);

/**
 * The labels each metric carries from its exporter (same sources as above), besides the target
 * labels Prometheus adds (TARGET_LABELS). A rule may match only on these.
 */
export const METRIC_LABELS: Readonly<Record<MetricName, readonly string[]>> = {
  [METRICS.httpRequests]: ['controller', 'action', 'status'],
  [METRICS.httpRequestDuration]: ['controller', 'action'],
  [METRICS.sidekiqQueueBacklog]: ['queue'],
  [METRICS.sidekiqQueueLatency]: ['queue'],
  [METRICS.sidekiqRetrySize]: [],
  [METRICS.sidekiqDeadSize]: [],
  [METRICS.sidekiqProcessConcurrency]: ['labels', 'queues', 'quiet', 'tag', 'hostname', 'identity'],
  [METRICS.sidekiqProcessBusy]: ['labels', 'queues', 'quiet', 'tag', 'hostname', 'identity'],
  [METRICS.sidekiqJobs]: ['job_name', 'queue'],
  [METRICS.sidekiqFailedJobs]: ['job_name', 'queue'],
  [METRICS.activeRecordConnections]: ['pid', 'hostname', 'pool_name', 'type', 'dbconfig_database', 'dbconfig_host'],
  [METRICS.activeRecordBusy]: ['pid', 'hostname', 'pool_name', 'type', 'dbconfig_database', 'dbconfig_host'],
  [METRICS.activeRecordWaiting]: ['pid', 'hostname', 'pool_name', 'type', 'dbconfig_database', 'dbconfig_host'],
  [METRICS.streamingPgTotal]: [],
  [METRICS.streamingPgIdle]: [],
  [METRICS.streamingClients]: ['type'],
  [METRICS.dragonflyMemoryUsed]: [],
  [METRICS.dragonflyMemoryMax]: [],
  [METRICS.certificateExpiration]: ['name', 'namespace', 'issuer_name', 'issuer_kind', 'issuer_group'],
  [METRICS.certificateReady]: ['name', 'namespace', 'condition', 'issuer_name', 'issuer_kind', 'issuer_group'],
  [METRICS.cronJobLastSuccess]: ['namespace', 'cronjob'],
  [METRICS.cronJobCreated]: ['namespace', 'cronjob'],
  [METRICS.kedaScaledObjectErrors]: ['namespace', 'scaledObject'],
  [METRICS.argocdAppInfo]: ['namespace', 'name', 'project', 'autosync_enabled', 'repo', 'dest_server', 'dest_namespace', 'sync_status', 'health_status', 'operation'],
  [METRICS.up]: [],
};

/**
 * What Prometheus and prometheus-operator's scrape configuration add to every series of a
 * PodMonitor's targets: `namespace`, `container`, `pod` (prometheus-operator/prometheus-operator@v0.93.0
 * pkg/prometheus/promcfg.go:1604-1612), `job` = `<namespace>/<PodMonitor>` (:1632-1635), `endpoint`
 * (:1647-1652), and Prometheus' own `instance`.
 */
export const TARGET_LABELS: readonly string[] = ['namespace', 'pod', 'container', 'endpoint', 'job', 'instance'];

/**
 * Exporters that run outside the instance (cert-manager, KEDA, Argo CD) are scraped through their
 * charts' monitors, which keep Prometheus' `honor_labels: false` (cert-manager/cert-manager@v1.21.1
 * deploy/charts/cert-manager/values.yaml:687,731): the target's `namespace` wins and the object's
 * namespace arrives as `exported_namespace`. kube-state-metrics is scraped with `honorLabels: true`
 * by kube-prometheus-stack (prometheus-community/helm-charts@kube-prometheus-stack-88.5.3
 * charts/kube-prometheus-stack/values.yaml:2702), so its `namespace` is the object's.
 */
export const EXPORTED_NAMESPACE_LABEL = 'exported_namespace';
