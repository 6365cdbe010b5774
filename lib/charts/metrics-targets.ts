import { DRAGONFLY_CONTAINER_PORTS } from '../catalog/dragonfly-operator';
import { DRAGONFLY_METRICS_PORT_NAME, EXPORTER_PORT, METRICS_PORT_NAME } from '../catalog/prometheus-exporter';
import { STREAMING_PORT } from '../catalog/mastodon-processes';
import { REDIS_ROLES } from '../catalog/redis';
import { dragonflyName, dragonflySelectorLabels } from '../constructs/common/dragonfly-labels';
import { STREAMING_PORT_NAME } from '../constructs/mastodon/streaming';
import { MetricsTarget } from '../constructs/monitoring/metrics-target';
import { WorkloadRef } from '../constructs/common/workload-ref';
import { InstanceModel } from '../model/types';

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
