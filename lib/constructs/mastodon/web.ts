import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { drainBeforeStop, drainGracePeriodSeconds } from './drain';
import { ReplicaPlan, replicaPlan } from '../../model/replicas';
import { spreadAcrossNodes } from '../../core/spread';
import { WebConfig } from '../../config/types';
import { WEB_DEFAULTS } from '../../model/defaults';
import { webResources } from '../../sizing/resources';
import { mastodonImage } from '../../catalog/mastodon-images';
import { selectorLabels } from '../common/labels';
import { MastodonDeployment } from './mastodon-deployment';
import { MastodonEnv } from './mastodon-env';
import { STEADY_PROBE, startupProbeTiming, zeroDowntimeRollout } from './workload-timing';
import { rubyTmpdir } from './ruby-tmpdir';
import { BOOTSNAP_READONLY, SYSTEM_TMP } from './scratch';
import { serviceFor } from './service';

export const WEB_PORT = 3000;
export const WEB_PORT_NAME = 'http';
/** Rails boots in 30–90 s; the startup probe allows 3 minutes before restarting. */
const STARTUP_SECONDS = 180;
/** Puma's default worker_shutdown_timeout (Mastodon's config/puma.rb keeps it): in-flight requests get this long. */
const PUMA_SHUTDOWN_SECONDS = 30;

export interface MastodonWebProps {
  readonly instanceId: string;
  readonly version: string;
  readonly env: MastodonEnv;
  readonly config?: WebConfig;
}

/**
 * Mastodon's web process: Puma with WEB_CONCURRENCY workers of MAX_THREADS threads on port 3000,
 * health-checked on /health.
 * @see https://docs.joinmastodon.org/admin/scaling/#web
 */
export class MastodonWeb extends Construct {
  public readonly workload: MastodonDeployment;
  public readonly service: k8s.KubeService;
  /** Fixed or autoscaled pod count; `replicaPlan.maxReplicas` is what connection budgets count. */
  public readonly replicaPlan: ReplicaPlan;
  public readonly workers: number;
  public readonly threads: number;

  constructor(scope: Construct, id: string, props: MastodonWebProps) {
    super(scope, id);
    const config = props.config ?? {};
    this.replicaPlan = replicaPlan(config);
    this.workers = config.workers ?? WEB_DEFAULTS.workers;
    this.threads = config.threads ?? WEB_DEFAULTS.threads;
    const health: k8s.HttpGetAction = { path: '/health', port: k8s.IntOrString.fromString(WEB_PORT_NAME) };

    this.workload = new MastodonDeployment(this, 'Deployment', {
      name: 'web',
      instance: props.instanceId,
      component: 'web',
      version: props.version,
      image: mastodonImage(props.version),
      command: ['bundle', 'exec', 'puma', '-C', 'config/puma.rb'],
      replicas: this.replicaPlan.replicas,
      envFrom: props.env.envFrom,
      env: [
        ...props.env.model.rails,
        { name: 'WEB_CONCURRENCY', value: String(this.workers) },
        { name: 'MAX_THREADS', value: String(this.threads) },
        // Each Puma thread holds at most one connection.
        { name: 'DB_POOL', value: String(this.threads) },
        { name: 'PORT', value: String(WEB_PORT) },
        BOOTSNAP_READONLY,
      ],
      configHash: props.env.configHash,
      resources: webResources(this.workers, this.threads, config.resources),
      port: { name: WEB_PORT_NAME, containerPort: WEB_PORT },
      startupProbe: { httpGet: health, ...startupProbeTiming(STARTUP_SECONDS) },
      readinessProbe: { httpGet: health, ...STEADY_PROBE },
      // TCP, not /health: a slow database must not make the kubelet restart every web pod.
      livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString(WEB_PORT_NAME) }, ...STEADY_PROBE },
      scratchDirs: [SYSTEM_TMP],
      rubyTmpdir: rubyTmpdir(SYSTEM_TMP),
      files: props.env.model.files.rails,
      lifecycle: drainBeforeStop(),
      terminationGracePeriodSeconds: drainGracePeriodSeconds(PUMA_SHUTDOWN_SECONDS),
      topologySpreadConstraints: spreadAcrossNodes(selectorLabels(props.instanceId, 'web')),
      strategy: zeroDowntimeRollout(),
    });
    this.service = serviceFor(this, this.workload, props.instanceId, 'web', { name: WEB_PORT_NAME, port: WEB_PORT });
  }
}
