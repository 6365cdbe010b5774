import { k8s } from 'cdk8s-plus-28';
import { NodePlacement, placementFields } from '../../core/placement';
import { ResolvedImage } from '../../core/image';
import { RequiredSecret } from '../../core/env';
import { Construct } from 'constructs';
import { cronJobSpec } from '../common/cron-job';
import { objectLabels } from '../common/labels';
import { containerSecurityContext, podSecurityContext } from '../common/pod-security';
import { BACKUP_USER } from '../../catalog/backup-images';

/** Which backup a pod belongs to (`kubectl logs -l mastodon-cdk8s.io/backup=database`). */
export const LABEL_BACKUP = 'mastodon-cdk8s.io/backup';


/** Room for rclone's home and other small scratch files. */
export const TMP_VOLUME_SIZE = '64Mi';

/** A scratch volume: the containers' root filesystems are read-only. */
export function scratchVolume(name: string, sizeLimit: string): k8s.Volume {
  return { name, emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeLimit) } };
}

export interface BackupContainerProps {
  readonly name: string;
  readonly image: ResolvedImage;
  /** A `sh -ec` script; configuration comes in through `env`, so the script is a constant. */
  readonly script: string;
  readonly env: readonly k8s.EnvVar[];
  readonly resources: k8s.ResourceRequirements;
  readonly volumeMounts: readonly k8s.VolumeMount[];
}

/** A backup container under the restricted Pod Security Standard, as the backup user. */
export function backupContainer(props: BackupContainerProps): k8s.Container {
  return {
    name: props.name,
    image: props.image.reference,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-ec', props.script],
    env: [...props.env],
    resources: props.resources,
    securityContext: containerSecurityContext(BACKUP_USER),
    volumeMounts: [...props.volumeMounts],
  };
}

/** The containers and volumes of a backup or restore pod, the Secrets its images are pulled with, and the Secret keys it reads. */
export interface BackupPod {
  readonly initContainers: readonly k8s.Container[];
  readonly containers: readonly k8s.Container[];
  readonly volumes: readonly k8s.Volume[];
  readonly pullSecrets: readonly string[];
  readonly requiredSecrets: readonly RequiredSecret[];
}

export interface BackupCronJobProps {
  /** The CronJob's name (at most 52 characters). */
  readonly name: string;
  readonly instanceId: string;
  /** What is backed up (the LABEL_BACKUP value). */
  readonly backup: string;
  /** Cron schedule, in UTC. */
  readonly schedule: string;
  /** Hard time limit of one run; keep it below the schedule's interval. */
  readonly activeDeadlineSeconds: number;
  /** How late a missed run may still start (after a control-plane outage). @default 3600 */
  readonly startingDeadlineSeconds?: number;
  /** Retries of a failed pod. @default 2 */
  readonly backoffLimit?: number;
  /** Run to completion, in order, before `containers`. @default none */
  readonly initContainers?: readonly k8s.Container[];
  readonly containers: readonly k8s.Container[];
  readonly volumes: readonly k8s.Volume[];
  /** The Secrets the pod pulls its images with. */
  readonly pullSecrets: readonly string[];
  /** Where the pods run: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
}

/**
 * A backup CronJob: the shared schedule policy (../common/cron-job.ts) and a pod under the restricted Pod Security Standard
 * without a service account token.
 */
export class BackupCronJob extends Construct {
  public readonly cronJob: k8s.KubeCronJob;

  constructor(scope: Construct, id: string, props: BackupCronJobProps) {
    super(scope, id);
    const labels = objectLabels(props.instanceId, 'backup', { [LABEL_BACKUP]: props.backup });
    this.cronJob = new k8s.KubeCronJob(this, 'Resource', {
      metadata: { name: props.name, labels },
      spec: cronJobSpec({
        schedule: props.schedule,
        activeDeadlineSeconds: props.activeDeadlineSeconds,
        startingDeadlineSeconds: props.startingDeadlineSeconds,
        backoffLimit: props.backoffLimit,
        labels,
        podSpec: backupPodSpec(props),
      }),
    });
  }
}

/** The pod of a backup Job: restricted Pod Security Standard, as the backup user, no service account token. */
export function backupPodSpec(props: Pick<BackupCronJobProps, 'initContainers' | 'containers' | 'volumes' | 'pullSecrets' | 'placement'>): k8s.PodSpec {
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    imagePullSecrets: props.pullSecrets.length > 0 ? props.pullSecrets.map((name) => ({ name })) : undefined,
    restartPolicy: 'Never',
    securityContext: podSecurityContext(BACKUP_USER),
    initContainers: props.initContainers ? [...props.initContainers] : undefined,
    containers: [...props.containers],
    volumes: [...props.volumes],
    ...(props.placement ? placementFields(props.placement) as Pick<k8s.PodSpec, 'nodeSelector' | 'tolerations' | 'affinity'> : {}),
  };
}
