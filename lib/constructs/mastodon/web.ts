import { k8s } from 'cdk8s-plus-28';
import { NodePlacement } from '../../core/placement';
import { Construct } from 'constructs';
import { drainBeforeStop, drainGracePeriodSeconds } from './drain';
import { ReplicaPlan } from '../../sizing/replicas';
import { spreadAcrossNodes } from '../../core/spread';
import { PUMA, WEB_PORT } from '../../catalog/mastodon-processes';
import { ContainerResources } from '../../sizing/resources';
import { ResolvedImage } from '../../core/image';
import { selectorLabels } from '../common/labels';
import { MastodonDeployment } from './mastodon-deployment';
import { MastodonEnv } from './mastodon-env';
import { STEADY_PROBE, startupProbeTiming, zeroDowntimeRollout } from './workload-timing';
import { rubyTmpdir } from './ruby-tmpdir';
import { BOOTSNAP_READONLY, SYSTEM_TMP } from './scratch';
import { serviceFor } from './service';
import { exporterSidecar, webMetricsEnv } from './metrics';

export const WEB_PORT_NAME = 'http';
/** Rails boots in 30–90 s; the startup probe allows 3 minutes before restarting. */
const STARTUP_SECONDS = 180;

export interface MastodonWebProps {
  readonly instanceId: string;
  readonly version: string;
  /** The image, and the Secrets its pods pull it with. */
  readonly image: ResolvedImage;
  /** Where the pods run: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
  readonly env: MastodonEnv;
  /** Fixed or autoscaled pod count. */
  readonly replicas: ReplicaPlan;
  /** Puma workers per pod (WEB_CONCURRENCY). */
  readonly workers: number;
  /** Puma threads per worker (MAX_THREADS). */
  readonly threads: number;
  /** PostgreSQL connections per worker (DB_POOL): one per thread. */
  readonly dbPool: number;
  readonly resources: ContainerResources;
  /**
   * Mastodon's Prometheus exporter: Puma reports to a `prometheus-exporter` sidecar that serves
   * `/metrics` on port `metrics`. @default none: no metrics
   */
  readonly metrics?: { readonly detailed: boolean; readonly sidecarResources: ContainerResources };
}

/**
 * Mastodon's web process: Puma with WEB_CONCURRENCY workers of MAX_THREADS threads on port 3000,
 * health-checked on /health.
 * @see https://docs.joinmastodon.org/admin/scaling/#web
 */
export class MastodonWeb extends Construct {
  public readonly workload: MastodonDeployment;
  public readonly service: k8s.KubeService;
  /** Fixed or autoscaled pod count (the model's `web.replicas`, which the connection budget counts too). */
  public readonly replicaPlan: ReplicaPlan;
  public readonly workers: number;
  public readonly threads: number;

  constructor(scope: Construct, id: string, props: MastodonWebProps) {
    super(scope, id);
    this.replicaPlan = props.replicas;
    this.workers = props.workers;
    this.threads = props.threads;
    const health: k8s.HttpGetAction = { path: '/health', port: k8s.IntOrString.fromString(WEB_PORT_NAME) };

    this.workload = new MastodonDeployment(this, 'Deployment', {
      name: 'web',
      instanceId: props.instanceId,
      component: 'web',
      version: props.version,
      image: props.image,
      placement: props.placement,
      command: ['bundle', 'exec', 'puma', '-C', 'config/puma.rb'],
      replicas: this.replicaPlan.replicas,
      envFrom: props.env.envFrom,
      env: [
        ...props.env.model.rails,
        { name: 'WEB_CONCURRENCY', value: String(this.workers) },
        { name: 'MAX_THREADS', value: String(this.threads) },
        { name: 'DB_POOL', value: String(props.dbPool) },
        { name: 'PORT', value: String(WEB_PORT) },
        BOOTSNAP_READONLY,
        ...(props.metrics ? webMetricsEnv(props.metrics.detailed) : []),
      ],
      configHash: props.env.configHash,
      resources: props.resources,
      port: { name: WEB_PORT_NAME, containerPort: WEB_PORT },
      startupProbe: { httpGet: health, ...startupProbeTiming(STARTUP_SECONDS) },
      readinessProbe: { httpGet: health, ...STEADY_PROBE },
      // TCP, not /health: a slow database must not make the kubelet restart every web pod.
      livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString(WEB_PORT_NAME) }, ...STEADY_PROBE },
      scratchDirs: [SYSTEM_TMP],
      rubyTmpdir: rubyTmpdir(SYSTEM_TMP),
      files: props.env.model.files.rails,
      lifecycle: drainBeforeStop(),
      terminationGracePeriodSeconds: drainGracePeriodSeconds(PUMA.shutdownSeconds),
      topologySpreadConstraints: spreadAcrossNodes(selectorLabels(props.instanceId, 'web')),
      strategy: zeroDowntimeRollout(),
      sidecars: props.metrics ? [exporterSidecar(props.metrics.sidecarResources)] : undefined,
    });
    this.service = serviceFor(this, this.workload, props.instanceId, 'web', { name: WEB_PORT_NAME, port: WEB_PORT });
  }
}
