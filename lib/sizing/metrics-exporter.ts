import { applyOverrides, ContainerResources, ResourcesConfig } from './resources';

/**
 * The web pods' prometheus-exporter sidecar: one Ruby process (the gem's server under Bundler, not
 * Rails) collecting what the pod's Puma workers send. An estimate, not a measurement: the
 * `collector_rss` metric it exports (PE server/web_server.rb:157-163) is there to tune it.
 */
export interface ExporterSidecarFactors {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
  readonly memoryLimitRatio: number;
}

export const EXPORTER_SIDECAR_FACTORS: ExporterSidecarFactors = {
  cpuMillis: 25,
  memoryMiB: 96,
  memoryLimitRatio: 2,
};

export function exporterSidecarResources(override?: ResourcesConfig, f: ExporterSidecarFactors = EXPORTER_SIDECAR_FACTORS): ContainerResources {
  return applyOverrides({ cpuMillis: f.cpuMillis, memoryMiB: f.memoryMiB, memoryLimitRatio: f.memoryLimitRatio }, override);
}
