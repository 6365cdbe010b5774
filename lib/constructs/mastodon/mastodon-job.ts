import { k8s } from 'cdk8s-plus-28';
import { NodePlacement } from '../../core/placement';
import { Construct } from 'constructs';
import { ContainerResources } from '../../sizing/resources';
import { BACKOFF_LIMIT } from '../common/cron-job';
import { objectLabels, LABEL_VERSION } from '../common/labels';
import { ResolvedImage } from '../../core/image';
import { mastodonPodSpec } from './pod-template';
import { MountedFiles } from '../../core/mounted-files';
import { rubyTmpdir } from './ruby-tmpdir';
import { BOOTSNAP_READONLY, SYSTEM_TMP } from './scratch';
import { MastodonEnv } from './mastodon-env';

export interface MastodonJobProps {
  /** The Job's name: fixed for a hook (Argo CD re-creates it); for a plain Job, it says when it runs again. */
  readonly name: string;
  /** The instance id (its config folder's name). */
  readonly instanceId: string;
  readonly version: string;
  /** The image, and the Secrets its pods pull it with. */
  readonly image: ResolvedImage;
  /** Where the pods run: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
  /** The Rails task, e.g. `['bundle', 'exec', 'rails', 'db:migrate']`. */
  readonly command: readonly string[];
  /**
   * The full environment. Jobs that run as Argo CD PreSync hooks cannot rely on a ConfigMap of the
   * same sync, so they carry their settings inline (see `MastodonEnv.inlineEnv()`).
   */
  readonly env: readonly k8s.EnvVar[];
  /** CA bundles and other read-only files the task reads (the instance's Rails files). @default none */
  readonly files?: MountedFiles;
  /** Sources of further variables (the shared ConfigMap, for PostSync hooks). @default none */
  readonly envFrom?: readonly k8s.EnvFromSource[];
  readonly resources: ContainerResources;
  /** Annotations of the Job (Argo CD hook and sync-wave annotations). @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Retries before the Job fails. @default 2 */
  readonly backoffLimit?: number;
  /** Hard time limit of the whole Job, in seconds. @default 3600 */
  readonly activeDeadlineSeconds?: number;
}

/**
 * A plain Job (not a hook: Argo CD would run it at every sync) that reads the shared environment,
 * which the mastodon Application creates in an earlier wave: what it takes besides its own task.
 */
export interface SharedEnvJobProps extends Pick<MastodonJobProps, 'name' | 'instanceId' | 'version' | 'image' | 'placement' | 'resources'> {
  readonly env: MastodonEnv;
}

/** The MastodonJob props of a SharedEnvJobProps Job, but its task and limits. */
export function sharedEnvJob(props: SharedEnvJobProps): Omit<MastodonJobProps, 'command'> {
  const { name, instanceId, version, image, placement, resources, env } = props;
  return { name, instanceId, version, image, placement, resources, envFrom: env.envFrom, env: env.model.rails, files: env.model.files.rails };
}

/** A Rails task that runs longer than an hour is stuck (a lock, an unreachable database): stop it. */
const JOB_DEADLINE_SECONDS = 3600;

/**
 * A one-off Rails task in the Mastodon image (migrations, `tootctl search deploy`), with the same
 * pod security as the app: UID/GID 991, restricted profile, read-only root with a private TMPDIR on
 * an emptyDir, and the image's bootsnap cache read-only.
 */
export class MastodonJob extends Construct {
  public readonly job: k8s.KubeJob;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: MastodonJobProps) {
    super(scope, id);
    const backoffLimit = props.backoffLimit ?? BACKOFF_LIMIT;
    const activeDeadlineSeconds = props.activeDeadlineSeconds ?? JOB_DEADLINE_SECONDS;
    this.name = props.name;
    const labels = { ...objectLabels(props.instanceId, 'job'), [LABEL_VERSION]: props.version };
    this.job = new k8s.KubeJob(this, 'Resource', {
      metadata: { name: props.name, labels, annotations: props.annotations ? { ...props.annotations } : undefined },
      spec: {
        backoffLimit,
        activeDeadlineSeconds,
        template: {
          metadata: { labels },
          spec: mastodonPodSpec({
            image: props.image,
            placement: props.placement,
            command: props.command,
            env: [...props.env, BOOTSNAP_READONLY],
            envFrom: props.envFrom,
            resources: props.resources,
            scratchDirs: [SYSTEM_TMP],
            rubyTmpdir: rubyTmpdir(SYSTEM_TMP),
            files: props.files,
            restartPolicy: 'Never',
          }),
        },
      },
    });
  }
}
