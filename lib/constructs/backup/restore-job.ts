import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { NodePlacement } from '../../core/placement';
import { objectLabels } from '../common/labels';
import { backupPodSpec, LABEL_BACKUP } from './backup-cron-job';
import { DumpImages } from './database-dump';
import { databaseRestorePod, RESTORE_BACKOFF_LIMIT, RestoreTarget } from './database-restore';
import { BackupVault } from './rclone';

/** A restore of a large instance runs for hours; a day ends only a hung one. */
const RESTORE_RUN_LIMIT_SECONDS = 24 * 3600;

export interface RestoreJobProps {
  readonly name: string;
  readonly instanceId: string;
  readonly vault: BackupVault;
  /** pg_restore's image (of the dump's major version or newer) and rclone's. */
  readonly images: DumpImages;
  /** Where the pod runs: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
  /** The dump's file name in the vault. */
  readonly dumpFile: string;
  /** The database restored into. @default a throwaway server in the pod: proves the dump, restores nothing */
  readonly target?: RestoreTarget;
  /** Restore over Mastodon's tables (`--clean --if-exists`). @default false */
  readonly clean?: boolean;
  readonly minRows: Readonly<Record<string, number>>;
  readonly jobs: number;
  readonly scratch: { readonly size: string; readonly storageClassName: string };
}

/**
 * The one-off restore of a named dump (`mastodon-cdk8s restore`): applied by hand, never from
 * dist/ (Argo CD would run it again or prune it). Not retried: a failed restore is read, not repeated.
 */
export class RestoreJob extends Construct {
  public readonly job: k8s.KubeJob;

  constructor(scope: Construct, id: string, props: RestoreJobProps) {
    super(scope, id);
    const { instanceId, vault, images, dumpFile, target, clean, minRows, jobs, scratch } = props;
    const pod = databaseRestorePod({ instanceId, vault, images, dumpFile, target, clean, minRows, jobs, scratch });
    const labels = objectLabels(instanceId, 'backup', { [LABEL_BACKUP]: 'restore' });
    this.job = new k8s.KubeJob(this, 'Resource', {
      metadata: { name: props.name, labels },
      spec: {
        backoffLimit: RESTORE_BACKOFF_LIMIT,
        activeDeadlineSeconds: RESTORE_RUN_LIMIT_SECONDS,
        template: { metadata: { labels }, spec: backupPodSpec({ ...pod, placement: props.placement }) },
      },
    });
  }
}
