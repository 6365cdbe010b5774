import { Check } from './check';
import { compareRelease } from '../catalog/mastodon-releases';
import { PROMETHEUS_EXPORTER_SINCE } from '../catalog/prometheus-exporter';
import { maxCronGapSeconds } from '../core/cron';
import { error, Finding } from '../core/finding';

/**
 * Monitoring needs Mastodon's metric exporter, which came with 4.4 (CHANGELOG 4.4.0 "Add an
 * optional metric exporter (#33734 …)"): an older release ignores every MASTODON_PROMETHEUS_EXPORTER_*
 * switch, and the PodMonitors would scrape ports nobody listens on.
 * The backup alerts wait twice a schedule's longest gap between runs, so each backup schedule must
 * run at all (`0 0 30 2 *` never does).
 */
export const checkMonitoring: Check = ({ sources, instance, defaults }): Finding[] => {
  if (!(instance.monitoring?.enabled ?? defaults.monitoring.enabled)) return [];
  const version = instance.mastodon.version;
  const findings: Finding[] = [];
  if (compareRelease(version, PROMETHEUS_EXPORTER_SINCE) < 0) {
    findings.push(error(sources.instance.problem(['monitoring', 'enabled'], `Mastodon ${version} has no Prometheus exporter (it came with ${PROMETHEUS_EXPORTER_SINCE}: MASTODON_PROMETHEUS_EXPORTER_*); allowed: monitoring.enabled: false, or mastodon.version v${PROMETHEUS_EXPORTER_SINCE}.0 or newer`, true)));
  }
  if (instance.monitoring?.alerts?.backups ?? defaults.monitoring.alerts.backups) {
    for (const kind of ['database', 'media'] as const) {
      const schedule = instance.backups?.[kind]?.schedule;
      const gap = schedule === undefined ? 0 : maxCronGapSeconds(schedule);
      if (typeof gap !== 'number') {
        findings.push(error(sources.instance.problem(['backups', kind, 'schedule'], `"${schedule}" cannot be watched by MastodonBackupMissed: ${gap.error}; allowed: a schedule that runs, such as "0 */6 * * *"`)));
      }
    }
  }
  return findings;
};
