import { Check } from './check';
import { compareRelease } from '../catalog/mastodon-releases';
import { PROMETHEUS_EXPORTER_SINCE } from '../catalog/prometheus-exporter';
import { error, Finding } from '../core/finding';

/**
 * Monitoring needs Mastodon's metric exporter, which came with 4.4 (CHANGELOG 4.4.0 "Add an
 * optional metric exporter (#33734 …)"): an older release ignores every MASTODON_PROMETHEUS_EXPORTER_*
 * switch, and the PodMonitors would scrape ports nobody listens on.
 */
export const checkMonitoring: Check = ({ sources, instance }): Finding[] => {
  const version = instance.mastodon.version;
  if (instance.monitoring?.enabled !== true || compareRelease(version, PROMETHEUS_EXPORTER_SINCE) >= 0) return [];
  return [error(sources.instance.problem(['monitoring', 'enabled'], `Mastodon ${version} has no Prometheus exporter (it came with ${PROMETHEUS_EXPORTER_SINCE}: MASTODON_PROMETHEUS_EXPORTER_*); allowed: monitoring.enabled: false, or mastodon.version v${PROMETHEUS_EXPORTER_SINCE}.0 or newer`, true))];
};
