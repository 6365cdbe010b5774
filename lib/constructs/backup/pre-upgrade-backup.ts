import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { recreatedHook } from '../../catalog/argocd';
import { RequiredSecret } from '../../core/env';
import { NodePlacement } from '../../core/placement';
import { BACKOFF_LIMIT } from '../common/cron-job';
import { LABEL_VERSION, objectLabels } from '../common/labels';
import { backupPodSpec, LABEL_BACKUP } from './backup-cron-job';
import { databaseDumpPod, DumpedDatabase, DumpImages, DUMP_RUN_LIMIT_SECONDS } from './database-dump';
import { BackupVault } from './rclone';

/** The `mastodon-cdk8s.io/backup` label of the pre-upgrade dumps (`kubectl delete job -l mastodon-cdk8s.io/backup=pre-upgrade`). */
export const PRE_UPGRADE_BACKUP = 'pre-upgrade';

export interface PreUpgradeBackupProps {
  readonly instanceId: string;
  /** The Mastodon version being synced (its label). */
  readonly version: string;
  /** One name per version (`db-backup-pre-v4-7-2`). */
  readonly name: string;
  /** The end of the dump's name (`-pre-v4.7.2`): the vault holds this version's dump when a name ends with it. */
  readonly dumpSuffix: string;
  readonly vault: BackupVault;
  readonly database: DumpedDatabase;
  /** pg_dump's image (of the server's major version or newer) and rclone's. */
  readonly images: DumpImages;
  /** Where the pod runs: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
  readonly maxDumpSize: string;
  /** Its wave among the PreSync hooks: below the pre-deployment migrations'. */
  readonly wave: number;
}

/**
 * A dump of the database before the migrations of a Mastodon version: a PreSync hook of the
 * mastodon Application, in a wave before `db-migrate-pre`, with the scheduled backup's dump and
 * upload (./database-dump.ts). Argo CD runs one wave at a time and ends the sync when a hook fails,
 * so a failed dump stops the upgrade before any migration (test/contracts/argocd-sync.test.ts).
 *
 * Like the migrations it is re-created at every sync (`BeforeHookCreation`: a changed pod template
 * never meets the Job's immutable one, and a failed sync deletes nothing that completed); its first
 * container looks for this version's dump in the vault, so only the first sync of a version dumps,
 * and its retries after a failure too. A version's dump is deleted with the other dumps after
 * `retentionDays`; the next sync of that version then takes a new one.
 */
export class PreUpgradeBackup extends Construct {
  public readonly job: k8s.KubeJob;
  public readonly requiredSecrets: readonly RequiredSecret[];

  constructor(scope: Construct, id: string, props: PreUpgradeBackupProps) {
    super(scope, id);
    const { instanceId, version, vault, database, images, maxDumpSize } = props;
    const pod = databaseDumpPod({ instanceId, vault, database, images, maxDumpSize, oncePerSuffix: props.dumpSuffix });
    this.requiredSecrets = pod.requiredSecrets;
    const labels = { ...objectLabels(instanceId, 'backup', { [LABEL_BACKUP]: PRE_UPGRADE_BACKUP }), [LABEL_VERSION]: version };
    this.job = new k8s.KubeJob(this, 'Resource', {
      metadata: { name: props.name, labels, annotations: recreatedHook('PreSync', props.wave) },
      spec: {
        backoffLimit: BACKOFF_LIMIT,
        activeDeadlineSeconds: DUMP_RUN_LIMIT_SECONDS,
        template: { metadata: { labels }, spec: backupPodSpec({ ...pod, placement: props.placement }) },
      },
    });
  }
}
