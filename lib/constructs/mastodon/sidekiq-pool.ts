import { Construct } from 'constructs';
import { NodePlacement } from '../../core/placement';
import { ContainerResources } from '../../sizing/resources';
import { SidekiqAutoscalingPlan } from '../../sizing/sidekiq-autoscaling';
import { SIDEKIQ_SHUTDOWN, sidekiqGracePeriodSeconds } from '../../sizing/sidekiq';
import { ResolvedImage } from '../../core/image';
import { LABEL_SIDEKIQ_POOL } from '../common/labels';
import { MastodonDeployment } from './mastodon-deployment';
import { MastodonEnv } from './mastodon-env';
import { STEADY_PROBE } from './workload-timing';
import { rubyTmpdir } from './ruby-tmpdir';
import { bootsnapCache } from './bootsnap-cache';
import { RAILS_TMP, SIDEKIQ_SYSTEM_TMP } from './scratch';
import { SCHEDULER_QUEUE } from '../../catalog/mastodon-releases';
import { METRICS_PORT, sidekiqMetricsEnv } from './metrics';

/**
 * Mastodon (≥ 4.3) touches `tmp/<MASTODON_SIDEKIQ_READY_FILENAME>` once Sidekiq starts processing
 * jobs and removes it at shutdown (config/initializers/sidekiq.rb, #30971). The image sets this
 * name already; setting it here keeps the probe and the file in step.
 */
export const SIDEKIQ_READY_FILENAME = 'sidekiq_process_has_started_and_will_begin_processing_jobs';

/** Where Mastodon touches the ready file: `Rails.root.join('tmp', name)` (Rails.root is the image's WORKDIR). */
export const SIDEKIQ_READY_PATH = `${RAILS_TMP.mountPath}/${SIDEKIQ_READY_FILENAME}`;

/**
 * Sidekiq is the container's PID 1: the container command replaces the image's tini entrypoint,
 * the shell `exec`s bundle, and `bundle exec` loads (or execs) sidekiq in its own process.
 */
const SIDEKIQ_PID = 1;

/**
 * The container command: remove the ready file, then exec Sidekiq with the container's args.
 * Mastodon touches the file on Sidekiq's :startup event and removes it on :shutdown
 * (config/initializers/sidekiq.rb:17-23); after a crash or an OOM kill no :shutdown ran, and the
 * file survives in the emptyDir, so without this the restarted container would be ready before
 * Sidekiq has booted. `sh -c SCRIPT NAME ARGS…` sets $0 to NAME and "$@" to the args.
 */
export function sidekiqCommand(): string[] {
  return ['/bin/sh', '-c', `rm -f ${SIDEKIQ_READY_PATH} && exec bundle exec sidekiq "$@"`, 'sidekiq'];
}

export interface SidekiqPoolProps {
  readonly instanceId: string;
  readonly version: string;
  /** The image, and the Secrets its pods pull it with. */
  readonly image: ResolvedImage;
  /** Where the pods run: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
  readonly env: MastodonEnv;
  /** The queue-plan pool name; the Deployment is `sidekiq-<pool>`. */
  readonly pool: string;
  /** Pods; with autoscaling, the fewest the autoscaler keeps. */
  readonly replicas: number;
  /** Sidekiq threads (`-c`). */
  readonly threads: number;
  /** PostgreSQL connections per process (DB_POOL). */
  readonly dbPool: number;
  /** Queue names, in the order given. */
  readonly queues: readonly string[];
  /** Sidekiq's arguments (`-c`, `-t`, `-q`…). */
  readonly args: readonly string[];
  readonly resources: ContainerResources;
  /** @default none: a fixed number of pods */
  readonly autoscaling?: SidekiqAutoscalingPlan;
  /** Mastodon's Prometheus exporter, served in-process on port `metrics`. @default none: no metrics */
  readonly metrics?: { readonly detailed: boolean };
}

/**
 * One Sidekiq pool of the queue plan: `replicas` processes of `threads` threads consuming its
 * queues, with DB_POOL = threads so every thread can hold a connection. Pods are ready once
 * Sidekiq processes jobs, and shut down gracefully (see SIDEKIQ_SHUTDOWN); the pool consuming the
 * scheduler queue is replaced with the Recreate strategy, so two schedulers never overlap. An
 * autoscaled pool's Deployment leaves the number of pods to the autoscaler (lib/constructs/autoscaling/).
 * @see https://docs.joinmastodon.org/admin/scaling/#sidekiq
 */
export class SidekiqPool extends Construct {
  public readonly workload: MastodonDeployment;
  public readonly pool: string;
  public readonly replicas: number;
  public readonly threads: number;
  /** Queue names, in the order given. */
  public readonly queues: readonly string[];
  /** @default none: a fixed number of pods */
  public readonly autoscaling?: SidekiqAutoscalingPlan;

  constructor(scope: Construct, id: string, props: SidekiqPoolProps) {
    super(scope, id);
    this.pool = props.pool;
    this.replicas = props.replicas;
    this.threads = props.threads;
    this.queues = props.queues;
    this.autoscaling = props.autoscaling;
    const scheduler = this.queues.includes(SCHEDULER_QUEUE);

    this.workload = new MastodonDeployment(this, 'Deployment', {
      name: `sidekiq-${props.pool}`,
      instanceId: props.instanceId,
      component: 'sidekiq',
      extraSelectorLabels: { [LABEL_SIDEKIQ_POOL]: props.pool },
      version: props.version,
      image: props.image,
      placement: props.placement,
      command: sidekiqCommand(),
      args: [...props.args],
      replicas: this.autoscaling ? undefined : props.replicas,
      envFrom: props.env.envFrom,
      env: [
        ...props.env.model.rails,
        { name: 'DB_POOL', value: String(props.dbPool) },
        { name: 'MASTODON_SIDEKIQ_READY_FILENAME', value: SIDEKIQ_READY_FILENAME },
        ...(props.metrics ? sidekiqMetricsEnv(props.metrics.detailed) : []),
      ],
      port: props.metrics ? METRICS_PORT : undefined,
      configHash: props.env.configHash,
      resources: props.resources,
      readinessProbe: {
        exec: { command: ['cat', SIDEKIQ_READY_PATH] },
        ...STEADY_PROBE,
      },
      // The image's /bin/sh (Debian dash) signals PID 1 as the same non-root user.
      lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', `kill -s TSTP ${SIDEKIQ_PID} && sleep ${SIDEKIQ_SHUTDOWN.quietSeconds}`] } } },
      terminationGracePeriodSeconds: sidekiqGracePeriodSeconds(),
      // RAILS_TMP for the ready file; it hides the image's bootsnap cache, so a copy goes to /tmp.
      scratchDirs: [RAILS_TMP, SIDEKIQ_SYSTEM_TMP],
      rubyTmpdir: rubyTmpdir(SIDEKIQ_SYSTEM_TMP),
      bootsnapCache: bootsnapCache(SIDEKIQ_SYSTEM_TMP),
      files: props.env.model.files.rails,
      strategy: scheduler ? { type: 'Recreate' } : undefined,
    });
  }
}
