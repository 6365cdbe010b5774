import { k8s } from 'cdk8s-plus-28';
import { NodePlacement } from '../../core/placement';
import { Construct } from 'constructs';
import { drainBeforeStop, drainGracePeriodSeconds } from './drain';
import { ReplicaPlan } from '../../sizing/replicas';
import { spreadAcrossNodes } from '../../core/spread';
import { ContainerResources } from '../../sizing/resources';
import { STREAMING_PORT } from '../../catalog/mastodon-processes';
import { ResolvedImage } from '../../core/image';
import { selectorLabels } from '../common/labels';
import { MastodonDeployment } from './mastodon-deployment';
import { MastodonEnv } from './mastodon-env';
import { STEADY_PROBE, startupProbeTiming, zeroDowntimeRollout } from './workload-timing';
import { SYSTEM_TMP } from './scratch';
import { serviceFor } from './service';

export const STREAMING_PORT_NAME = 'http';
/** The Node server starts in seconds; a minute allows for a slow database or Redis. */
const STARTUP_SECONDS = 60;
/** Time for the Node server to close its WebSockets (clients reconnect to another pod). */
const STREAMING_SHUTDOWN_SECONDS = 15;

export interface MastodonStreamingProps {
  readonly instanceId: string;
  readonly version: string;
  /** The image, and the Secrets its pods pull it with. */
  readonly image: ResolvedImage;
  /** Where the pods run: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
  readonly env: MastodonEnv;
  /** Fixed or autoscaled pod count. */
  readonly replicas: ReplicaPlan;
  /** PostgreSQL connections per pod (DB_POOL). */
  readonly dbPool: number;
  readonly resources: ContainerResources;
}

/**
 * Mastodon's streaming API (Node.js, its own image since v4.3) on port 4000, one process per pod:
 * STREAMING_CLUSTER_NUM is gone, scale with replicas.
 * @see https://docs.joinmastodon.org/admin/scaling/#streaming
 */
export class MastodonStreaming extends Construct {
  public readonly workload: MastodonDeployment;
  public readonly service: k8s.KubeService;
  /** Fixed or autoscaled pod count (the model's `streaming.replicas`, which the connection budget counts too). */
  public readonly replicaPlan: ReplicaPlan;
  public readonly dbPool: number;

  constructor(scope: Construct, id: string, props: MastodonStreamingProps) {
    super(scope, id);
    this.replicaPlan = props.replicas;
    this.dbPool = props.dbPool;
    const health: k8s.HttpGetAction = { path: '/api/v1/streaming/health', port: k8s.IntOrString.fromString(STREAMING_PORT_NAME) };

    this.workload = new MastodonDeployment(this, 'Deployment', {
      name: 'streaming',
      instanceId: props.instanceId,
      component: 'streaming',
      version: props.version,
      image: props.image,
      placement: props.placement,
      command: ['node', './streaming'],
      replicas: this.replicaPlan.replicas,
      envFrom: props.env.envFrom,
      env: [
        ...props.env.model.streaming,
        { name: 'DB_POOL', value: String(this.dbPool) },
        { name: 'PORT', value: String(STREAMING_PORT) },
      ],
      configHash: props.env.configHash,
      resources: props.resources,
      port: { name: STREAMING_PORT_NAME, containerPort: STREAMING_PORT },
      startupProbe: { httpGet: health, ...startupProbeTiming(STARTUP_SECONDS) },
      readinessProbe: { httpGet: health, ...STEADY_PROBE },
      livenessProbe: { httpGet: health, ...STEADY_PROBE },
      scratchDirs: [SYSTEM_TMP],
      files: props.env.model.files.streaming,
      lifecycle: drainBeforeStop(),
      terminationGracePeriodSeconds: drainGracePeriodSeconds(STREAMING_SHUTDOWN_SECONDS),
      topologySpreadConstraints: spreadAcrossNodes(selectorLabels(props.instanceId, 'streaming')),
      strategy: zeroDowntimeRollout(),
    });
    this.service = serviceFor(this, this.workload, props.instanceId, 'streaming', { name: STREAMING_PORT_NAME, port: STREAMING_PORT });
  }
}
