import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PostgresMajor } from '../../catalog/backup-images';
import { objectLabels } from '../common/labels';
import { backupPodSpec, LABEL_BACKUP } from './backup-cron-job';
import { databaseRestorePod, RestoreTarget } from './database-restore';
import { BackupVault } from './rclone';

/** A restore of a large instance runs for hours; a day ends only a hung one. */
const RESTORE_RUN_LIMIT_SECONDS = 24 * 3600;

export interface RestoreJobProps {
  readonly name: string;
  readonly instanceId: string;
  readonly vault: BackupVault;
  readonly postgresVersion: PostgresMajor;
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
    const { instanceId, vault, postgresVersion, dumpFile, target, clean, minRows, jobs, scratch } = props;
    const pod = databaseRestorePod({ instanceId, vault, postgresVersion, dumpFile, target, clean, minRows, jobs, scratch });
    const labels = objectLabels(instanceId, 'backup', { [LABEL_BACKUP]: 'restore' });
    this.job = new k8s.KubeJob(this, 'Resource', {
      metadata: { name: props.name, labels },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: RESTORE_RUN_LIMIT_SECONDS,
        template: { metadata: { labels }, spec: backupPodSpec(pod) },
      },
    });
  }
}
