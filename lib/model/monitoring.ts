import { InstanceConfig } from '../config/types';
import { ContainerResources } from '../sizing/resources';
import { exporterSidecarResources } from '../sizing/metrics-exporter';
import { Defaults } from './defaults';
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
  };
}
