import { ReleaseLine } from './mastodon-releases';

/**
 * Mastodon's Prometheus metrics (mastodon/mastodon 4.4+, prometheus_exporter gem 2.3.1) and the
 * other metric sources of an instance. M = mastodon/mastodon@cebb47f7f7 (4.7 branch point),
 * PE = discourse/prometheus_exporter@v2.3.1.
 */

/** CHANGELOG 4.4.0 "Add an optional metric exporter (#33734 …)": earlier releases read none of the switches. */
export const PROMETHEUS_EXPORTER_SINCE: ReleaseLine = '4.4';

/**
 * The gem's default port, used by Mastodon's local server (M config/initializers/prometheus_exporter.rb:13),
 * the standalone server (PE lib/prometheus_exporter.rb:8) and the client (PE lib/prometheus_exporter/client.rb:56).
 */
export const EXPORTER_PORT = 9394;

/** The container port name the PodMonitors scrape on web (the sidecar) and Sidekiq. */
export const METRICS_PORT_NAME = 'metrics';

/** The web pods' container running the collector (our name). */
export const EXPORTER_CONTAINER = 'prometheus-exporter';

/** Every switch compares `== 'true'` (M config/puma.rb:19,23; config/initializers/sidekiq.rb:26,30,49). */
export const EXPORTER_ENV = {
  /** Turns on the instrumentation in Puma (M config/puma.rb:19-44), Sidekiq (sidekiq.rb:26-47) and Rails (prometheus_exporter.rb:3). */
  enabled: 'MASTODON_PROMETHEUS_EXPORTER_ENABLED',
  /** An in-process server (M puma.rb:23-27, sidekiq.rb:30-34); per Puma worker it would start one each, so only Sidekiq sets it. */
  local: 'MASTODON_PROMETHEUS_EXPORTER_LOCAL',
  /** The local server's bind, default `localhost` (M prometheus_exporter.rb:12): 0.0.0.0 to be scraped. */
  host: 'MASTODON_PROMETHEUS_EXPORTER_HOST',
  /** The local server's port, default 9394 (M prometheus_exporter.rb:13). */
  port: 'MASTODON_PROMETHEUS_EXPORTER_PORT',
  /** Full request metrics with `status`, controller and action (M prometheus_exporter.rb:16-24). */
  webDetailed: 'MASTODON_PROMETHEUS_EXPORTER_WEB_DETAILED_METRICS',
  /** Per-job, per-queue and global Sidekiq stats (M sidekiq.rb:49-65). */
  sidekiqDetailed: 'MASTODON_PROMETHEUS_EXPORTER_SIDEKIQ_DETAILED_METRICS',
  /** Where a non-local client (Puma) sends, default localhost:9394 (PE lib/prometheus_exporter/client.rb:55-56). */
  clientHost: 'PROMETHEUS_EXPORTER_HOST',
  clientPort: 'PROMETHEUS_EXPORTER_PORT',
} as const;

/**
 * The web pod's collector: Mastodon's binstub of the gem's server (M bin/prometheus_exporter:16).
 * Flags (PE exe/prometheus_exporter:20-31,38-40,53-55): `--bind` (default localhost), `--port`,
 * `--prefix` (default `ruby_`, PE lib/prometheus_exporter.rb:10; an empty string is kept,
 * server/runner.rb:94-96), `--histogram` (buckets instead of per-process summaries). The prefix is
 * empty because Sidekiq's local server sets none (M lib/mastodon/prometheus_exporter/local_server.rb:11),
 * so web and Sidekiq metrics share their names and differ by the `type` label.
 */
export const EXPORTER_SIDECAR = {
  command: ['bin/prometheus_exporter'],
  args: ['--bind', '0.0.0.0', '--port', String(EXPORTER_PORT), '--prefix', '', '--histogram'],
  /** Answers `pong` (PE server/web_server.rb:82-107). */
  pingPath: '/ping',
} as const;

/**
 * Puma's client sends here. An IPv4 literal, not the default `localhost`, which may resolve to ::1
 * while the sidecar listens on 0.0.0.0 (IPv4 only).
 */
export const EXPORTER_CLIENT_HOST = '127.0.0.1';

/** Every exporter serves its metrics here (PE server/web_server.rb:82; M streaming/index.js:268; Dragonfly server_family.cc:1612-1627). */
export const METRICS_PATH = '/metrics';

/**
 * Dragonfly serves `/metrics` over HTTP on its admin port 9999, which the operator always enables
 * with `--admin_port=9999 --admin_nopass` (dragonflydb/dragonfly-operator@v1.6.1:internal/resources/const.go:126-132,
 * resources.go:217). In the server (dragonflydb/dragonfly@v1.40.1) the admin port is a PRIVILEGED
 * listener (src/server/dfly_main.cc:422-432), which always gets the HTTP handlers
 * (src/facade/dragonfly_listener.cc:159-167), `/metrics` among them (src/server/server_family.cc:1626);
 * the main port only with `--primary_port_http_enabled`, which the operator sets to false. The
 * admin port has no password, so only the scraper's pods are admitted.
 */
export const DRAGONFLY_METRICS_PORT_NAME = 'admin';

/**
 * The scraper of DigitalOcean's 1-click monitoring stack, read in the sources:
 * - it installs kube-prometheus-stack as release `kube-prometheus-stack` into the namespace
 *   `kube-prometheus-stack` (digitalocean/marketplace-kubernetes@79a92bc stacks/kube-prometheus-stack/deploy.sh:14-17,33-39);
 * - the chart's Prometheus selects PodMonitors and PrometheusRules by `release: <release>` while
 *   `podMonitorSelectorNilUsesHelmValues` / `ruleSelectorNilUsesHelmValues` are true, their default
 *   (prometheus-community/helm-charts@kube-prometheus-stack-88.5.3 charts/kube-prometheus-stack/values.yaml:4451,4499;
 *   templates/prometheus/prometheus.yaml:209-218,277-286), in every namespace (`podMonitorNamespaceSelector: {}`, :219-224);
 * - prometheus-operator labels the Prometheus pods `app.kubernetes.io/name: prometheus` among others
 *   (prometheus-operator/prometheus-operator@v0.93.0 pkg/prometheus/server/operator.go:61,1696-1704,
 *   applied in statefulset.go:223-226).
 * `monitoring.scraper` and `selectorLabels` override them for another Prometheus.
 */
export const KUBE_PROMETHEUS_STACK = {
  namespace: 'kube-prometheus-stack',
  podLabels: { 'app.kubernetes.io/name': 'prometheus' },
  selectorLabels: { release: 'kube-prometheus-stack' },
  /**
   * The label by which its Grafana's sidecar collects dashboard ConfigMaps, from every namespace
   * (`searchNamespace: ALL`): kube-prometheus-stack-88.5.3 values.yaml:1536-1542. The grafana
   * chart alone takes any value of the same label, in its own namespace
   * (grafana/helm-charts@grafana-10.5.15 charts/grafana/values.yaml:1105-1118).
   */
  dashboardLabel: { name: 'grafana_dashboard', value: '1' },
} as const;
