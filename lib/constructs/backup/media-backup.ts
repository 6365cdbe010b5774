import { Construct } from 'constructs';
import { NodePlacement } from '../../core/placement';
import { ResolvedImage } from '../../core/image';
import { RequiredSecret } from '../../core/env';
import { backupContainer, BackupCronJob, scratchVolume, TMP_VOLUME_SIZE } from './backup-cron-job';
import { containerResources, MEDIA_SYNC_RESOURCES } from './resources';
import { BackupVault, MEDIA_FOLDER, MEDIA_REMOTE, mediaSourceEnv, RCLONE_HOME, rcloneBaseEnv, S3Remote, vaultEnv, VAULT_REMOTE } from './rclone';

/** A run may take 20 hours, below the daily interval (the first copy of a large bucket is slow). */
const RUN_LIMIT_SECONDS = 20 * 3600;
/** A missed daily run may still start 6 hours late. */
const STARTING_DEADLINE_SECONDS = 6 * 3600;
/** Parallel uploads and listings/comparisons. */
/** The CronJob's name (watched by the operational alerts). */
export const MEDIA_BACKUP_NAME = 'backup-media';

export const MEDIA_SYNC_TRANSFERS = 8;
export const MEDIA_SYNC_CHECKERS = 16;

/**
 * Makes the vault's media folder a copy of the media bucket. Sizes alone decide what changed:
 * Mastodon writes every media file once under a new key, and comparing modification times would
 * cost a request per object. Deletions are propagated (after the transfers, and not at all when
 * anything failed), so the copy holds the bucket's current state; keep older versions with the
 * backup bucket's own versioning or lifecycle rules.
 */
const SYNC_SCRIPT = `rclone sync "${MEDIA_REMOTE}:\${MEDIA_BUCKET}" ${VAULT_REMOTE}:${MEDIA_FOLDER} --size-only \\
  --transfers=${MEDIA_SYNC_TRANSFERS} --checkers=${MEDIA_SYNC_CHECKERS} --stats=10m --stats-one-line --stats-log-level=NOTICE
`;

export interface MediaBackupProps {
  readonly instanceId: string;
  /** The media bucket Mastodon uses. */
  readonly media: S3Remote & { readonly bucket: string };
  readonly vault: BackupVault;
  /** Cron schedule (UTC). */
  readonly schedule: string;
  /** rclone's image, and the Secrets the pod pulls it with. */
  readonly rclone: ResolvedImage;
  /** Where the pods run: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
}

/** A daily, encrypted copy of the media bucket into the backup bucket (rclone sync). */
export class MediaBackup extends Construct {
  public readonly job: BackupCronJob;
  public readonly requiredSecrets: readonly RequiredSecret[];

  constructor(scope: Construct, id: string, props: MediaBackupProps) {
    super(scope, id);
    const env = vaultEnv(mediaSourceEnv(rcloneBaseEnv(), props.media), props.vault)
      .set('MEDIA_BUCKET', props.media.bucket);
    this.requiredSecrets = env.secrets;
    this.job = new BackupCronJob(this, 'CronJob', {
      name: MEDIA_BACKUP_NAME,
      instanceId: props.instanceId,
      backup: 'media',
      schedule: props.schedule,
      activeDeadlineSeconds: RUN_LIMIT_SECONDS,
      startingDeadlineSeconds: STARTING_DEADLINE_SECONDS,
      containers: [backupContainer({
        name: 'sync',
        image: props.rclone,
        script: SYNC_SCRIPT,
        env: env.toEnv(),
        resources: containerResources(MEDIA_SYNC_RESOURCES),
        volumeMounts: [{ name: 'tmp', mountPath: RCLONE_HOME }],
      })],
      volumes: [scratchVolume('tmp', TMP_VOLUME_SIZE)],
      pullSecrets: props.rclone.pullSecrets,
      placement: props.placement,
    });
  }
}
