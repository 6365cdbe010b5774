import { k8s } from 'cdk8s-plus-28';
import { NodePlacement } from '../../core/placement';
import { Construct } from 'constructs';
import { ResolvedImage } from '../../core/image';
import { ContainerResources } from '../../sizing/resources';
import { cronJobSpec } from '../common/cron-job';
import { LABEL_VERSION, objectLabels } from '../common/labels';
import { MastodonEnv } from './mastodon-env';
import { DirectConnection, migrationEnv } from './migrations';
import { mastodonPodSpec } from './pod-template';
import { rubyTmpdir } from './ruby-tmpdir';
import { BOOTSNAP_READONLY, SYSTEM_TMP } from './scratch';

/** Which housekeeping task a pod runs (`kubectl logs -l mastodon-cdk8s.io/maintenance=media-remove`). */
export const LABEL_MAINTENANCE = 'mastodon-cdk8s.io/maintenance';

export interface MaintenanceCronJobProps {
  /** `maintenance-<task>`. */
  readonly name: string;
  /** e.g. `media-remove`. */
  readonly task: string;
  readonly instanceId: string;
  readonly version: string;
  /** The image, and the Secrets its pods pull it with. */
  readonly image: ResolvedImage;
  /** Where the pods run: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
  /** The shared environment: its ConfigMap, the Rails variables and files, as Sidekiq has them. */
  readonly env: MastodonEnv;
  /** Cron schedule, in UTC. */
  readonly schedule: string;
  /** `bin/tootctl …`. */
  readonly command: readonly string[];
  readonly runLimitSeconds: number;
  readonly resources: ContainerResources;
  /** The database's direct connection, for a command the pool cannot serve. @default none: through the pool, like Sidekiq */
  readonly direct?: DirectConnection;
}

/**
 * A housekeeping `tootctl` command on a schedule: the pod of a Mastodon Job (UID/GID 991,
 * restricted profile, read-only root with a private TMPDIR, Sidekiq's environment) under the policy
 * of every scheduled Job (one run at a time, UTC, bounded, ../common/cron-job.ts).
 */
export class MaintenanceCronJob extends Construct {
  public readonly cronJob: k8s.KubeCronJob;

  constructor(scope: Construct, id: string, props: MaintenanceCronJobProps) {
    super(scope, id);
    const labels = { ...objectLabels(props.instanceId, 'job', { [LABEL_MAINTENANCE]: props.task }), [LABEL_VERSION]: props.version };
    this.cronJob = new k8s.KubeCronJob(this, 'Resource', {
      metadata: { name: props.name, labels },
      spec: cronJobSpec({
        schedule: props.schedule,
        activeDeadlineSeconds: props.runLimitSeconds,
        labels,
        podSpec: mastodonPodSpec({
          image: props.image,
          placement: props.placement,
          command: props.command,
          // On the direct connection the environment is inline, switched as the migrations' is.
          env: [...(props.direct ? migrationEnv(props.env.inlineEnv(), props.direct, false) : props.env.model.rails), BOOTSNAP_READONLY],
          envFrom: props.direct ? undefined : props.env.envFrom,
          resources: props.resources,
          scratchDirs: [SYSTEM_TMP],
          rubyTmpdir: rubyTmpdir(SYSTEM_TMP),
          files: props.env.model.files.rails,
          restartPolicy: 'Never',
        }),
      }),
    });
  }
}
