import { InstanceConfig } from '../config/types';
import { ContainerResources } from '../sizing/resources';
import { exporterSidecarResources } from '../sizing/metrics-exporter';
import { Defaults, OperationalAlertDefaults, QueueAlertThresholds } from './defaults';
import { BurnAlert, burnAlerts } from './slo';

/** Prometheus metrics of an instance, every default resolved; absent when monitoring is off. */
export interface MonitoringModel {
  /** The Prometheus pods that scrape: namespace AND pod labels. */
  readonly scraper: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
  /** Labels on PodMonitors by which the Prometheus selects them. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly webDetailedMetrics: boolean;
  readonly sidekiqDetailedMetrics: boolean;
  /** The availability objective over 30 days, and its burn-rate alerts. */
  readonly slo: { readonly availability: number; readonly burnAlerts: readonly BurnAlert[] };
  /** The web pods' prometheus-exporter container. */
  readonly exporterSidecar: { readonly resources: ContainerResources };
  /**
   * Where the alerts' runbooks are: this repository's README.md as the Git host shows it (from
   * `argocd.repoURL` and `targetRevision`), its sections named after the alerts.
   */
  readonly runbooks: string;
  /** The operational alerts' thresholds and switches, `monitoring.queues` and `monitoring.alerts` applied. */
  readonly alerts: OperationalAlertDefaults;
  /** The Grafana dashboard's sidecar label. @default none: the dashboard is switched off */
  readonly dashboard?: { readonly label: { readonly name: string; readonly value: string } };
}

export function monitoringModel(instance: InstanceConfig, d: Defaults): MonitoringModel | undefined {
  const m = instance.monitoring;
  if (!(m?.enabled ?? d.monitoring.enabled)) return undefined;
  const availability = m?.slo?.availability ?? d.monitoring.sloAvailability;
  return {
    scraper: {
      namespace: m?.scraper?.namespace ?? d.monitoring.scraper.namespace,
      podLabels: m?.scraper?.podLabels ?? d.monitoring.scraper.podLabels,
    },
    selectorLabels: m?.selectorLabels ?? d.monitoring.selectorLabels,
    webDetailedMetrics: m?.webDetailedMetrics ?? d.monitoring.webDetailedMetrics,
    sidekiqDetailedMetrics: m?.sidekiqDetailedMetrics ?? d.monitoring.sidekiqDetailedMetrics,
    slo: { availability, burnAlerts: burnAlerts(availability) },
    exporterSidecar: { resources: exporterSidecarResources(m?.exporterSidecar?.resources) },
    runbooks: readmeUrl(instance.argocd.repoURL, instance.argocd.targetRevision ?? d.argocd.targetRevision),
    alerts: { ...d.monitoring.alerts, ...m?.alerts, queues: queueThresholds(d.monitoring.alerts, m?.queues) },
    ...((m?.dashboard?.enabled ?? d.monitoring.dashboard.enabled) ? {
      dashboard: { label: { name: m?.dashboard?.label ?? d.monitoring.dashboard.label, value: m?.dashboard?.labelValue ?? d.monitoring.dashboard.labelValue } },
    } : {}),
  };
}

/** The default thresholds per queue, each field of `monitoring.queues.<queue>` over them. */
function queueThresholds(
  d: OperationalAlertDefaults,
  overrides: Readonly<Record<string, Partial<QueueAlertThresholds>>> = {},
): Readonly<Record<string, QueueAlertThresholds>> {
  const names = [...new Set([...Object.keys(d.queues), ...Object.keys(overrides)])];
  return Object.fromEntries(names.map((q) => [q, { ...(d.queues[q] ?? d.otherQueue), ...overrides[q] }]));
}

/**
 * The README of the repository at `revision`, as GitHub, GitLab, Gitea and Forgejo serve it
 * (`<https URL without .git>/blob/<revision>/README.md`); SSH remotes become their https form.
 */
export function readmeUrl(repoURL: string, revision: string): string {
  const https = repoURL
    // Never a user or token from the URL into an annotation.
    .replace(/^https:\/\/[^@/]+@/, 'https://')
    .replace(/^git@([^:]+):/, 'https://$1/')
    .replace(/^ssh:\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\//, 'https://$1/')
    .replace(/\.git$/, '')
    .replace(/\/$/, '');
  return `${https}/blob/${revision}/README.md`;
}
