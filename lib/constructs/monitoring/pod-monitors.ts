import { Construct } from 'constructs';
import { PodMonitor } from '../../../imports/podmonitor-monitoring.coreos.com';
import { METRICS_PATH } from '../../catalog/prometheus-exporter';
import { objectLabels } from '../common/labels';
import { MetricsTarget } from './metrics-target';

/** As often as the exporters report (process stats every 30 s: PE@v2.3.1 lib/prometheus_exporter/instrumentation/process.rb:6). */
export const SCRAPE_INTERVAL = '30s';

export interface PodMonitorsProps {
  readonly instanceId: string;
  readonly targets: readonly MetricsTarget[];
  /** Labels by which the Prometheus selects PodMonitors (kube-prometheus-stack: `release`). */
  readonly selectorLabels: Readonly<Record<string, string>>;
}

/**
 * One PodMonitor (monitoring.coreos.com/v1, prometheus-operator v0.93) per workload, in the
 * workload's namespace, selecting its pods by the labels they carry and scraping the named
 * container port (podmonitors.yaml: `port` is a container port name). Without `jobLabel` the
 * `job` label is `<namespace>/<PodMonitor name>`.
 */
export class PodMonitors extends Construct {
  public readonly monitors: readonly PodMonitor[];

  constructor(scope: Construct, id: string, props: PodMonitorsProps) {
    super(scope, id);
    const labels = { ...props.selectorLabels, ...objectLabels(props.instanceId, 'monitoring') };
    this.monitors = props.targets.map((t) => new PodMonitor(this, t.name, {
      metadata: { name: t.name, labels },
      spec: {
        selector: { matchLabels: { ...t.selector } },
        podMetricsEndpoints: [{ port: t.port.name, path: METRICS_PATH, interval: SCRAPE_INTERVAL }],
      },
    }));
  }
}
