import { k8s } from 'cdk8s-plus-28';
import { EXPORTER_CLIENT_HOST, EXPORTER_CONTAINER, EXPORTER_ENV, EXPORTER_PORT, EXPORTER_SIDECAR, METRICS_PORT_NAME } from '../../catalog/prometheus-exporter';
import { ContainerResources } from '../../sizing/resources';
import { SidecarContainer } from './pod-template';
import { STEADY_PROBE } from './workload-timing';

/** The container port Prometheus scrapes on web (the sidecar) and Sidekiq (the local server). */
export const METRICS_PORT = { name: METRICS_PORT_NAME, containerPort: EXPORTER_PORT } as const;

const on = (name: string): k8s.EnvVar => ({ name, value: 'true' });

/**
 * Puma reports to the sidecar in its pod: instrumentation on, no local server (one per Puma worker
 * would be started, M config/puma.rb:23-27), the client pointed at the sidecar.
 */
export function webMetricsEnv(detailed: boolean): k8s.EnvVar[] {
  return [
    on(EXPORTER_ENV.enabled),
    ...(detailed ? [on(EXPORTER_ENV.webDetailed)] : []),
    { name: EXPORTER_ENV.clientHost, value: EXPORTER_CLIENT_HOST },
    { name: EXPORTER_ENV.clientPort, value: String(EXPORTER_PORT) },
  ];
}

/** Sidekiq serves its own metrics: the local server, bound on every interface so it can be scraped. */
export function sidekiqMetricsEnv(detailed: boolean): k8s.EnvVar[] {
  return [
    on(EXPORTER_ENV.enabled),
    on(EXPORTER_ENV.local),
    { name: EXPORTER_ENV.host, value: '0.0.0.0' },
    { name: EXPORTER_ENV.port, value: String(EXPORTER_PORT) },
    ...(detailed ? [on(EXPORTER_ENV.sidekiqDetailed)] : []),
  ];
}

/** The web pods' `bin/prometheus_exporter` sidecar. */
export function exporterSidecar(resources: ContainerResources): SidecarContainer {
  return {
    name: EXPORTER_CONTAINER,
    command: EXPORTER_SIDECAR.command,
    args: EXPORTER_SIDECAR.args,
    port: METRICS_PORT,
    resources,
    livenessProbe: { httpGet: { path: EXPORTER_SIDECAR.pingPath, port: k8s.IntOrString.fromString(METRICS_PORT_NAME) }, ...STEADY_PROBE },
  };
}
