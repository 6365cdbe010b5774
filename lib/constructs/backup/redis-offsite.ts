import { Construct } from 'constructs';
import { RequiredSecret, EnvBuilder, SecretKeyRef } from '../../core/env';
import { pullSecretNames, ResolvedImage } from '../../core/image';
import { NodePlacement } from '../../core/placement';
import { REDIS_PORT } from '../../catalog/redis';
import { backupContainer, BackupCronJob, scratchVolume, TMP_VOLUME_SIZE } from './backup-cron-job';
import { containerResources, UPLOAD_RESOURCES } from './resources';
import { RCLONE_HOME, rcloneBaseEnv, S3Remote, storeEnv, STORE_REMOTE } from './rclone';

/** A save of a few GiB to S3 takes minutes; the next hourly run must not wait behind a hung one. */
const RUN_LIMIT_SECONDS = 45 * 60;
/** A missed hourly run is not worth starting late: the next one comes. */
const STARTING_DEADLINE_SECONDS = 15 * 60;

/**
 * Asks the role's master (its Service selects the master only) to save a DFS snapshot to S3, and
 * fails unless the reply is OK. redis-cli reads the password from REDISCLI_AUTH, never argv.
 */
const SAVE_SCRIPT = `reply="$(redis-cli -h "$DRAGONFLY_HOST" -p ${REDIS_PORT} SAVE DF "$SNAPSHOT_URI" "$SNAPSHOT_BASENAME" 2>&1)" || true
if [ "$reply" != OK ]; then echo "SAVE to $SNAPSHOT_URI failed: $reply" >&2; exit 1; fi
echo "saved $SNAPSHOT_URI/$SNAPSHOT_BASENAME"
`;

/** Deletes the role's copies past the retention, after a successful save. */
const RETENTION_SCRIPT = `rclone delete "${STORE_REMOTE}:$SNAPSHOT_FOLDER" --include '*.dfs' --min-age "\${RETENTION_DAYS}d" -v
`;

export interface RedisOffsiteProps {
  readonly instanceId: string;
  /** The role (`mastodon`, `sidekiq`): the CronJob is `backup-redis-<role>`. */
  readonly role: string;
  /** The Dragonfly's Service (its master). */
  readonly host: string;
  readonly password: SecretKeyRef;
  /** The role's Dragonfly image: its redis-cli, as the server's user (999). */
  readonly image: ResolvedImage;
  /** rclone's image, for the retention. */
  readonly rclone: ResolvedImage;
  /** Where the pod runs: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
  /** `s3://<bucket>/<folder>`. */
  readonly uri: string;
  readonly basename: string;
  /** The backup bucket and the copies' folder in it. */
  readonly bucket: S3Remote & { readonly bucket: string };
  readonly folder: string;
  readonly schedule: string;
  readonly retentionDays: number;
}

/**
 * `backup-redis-<role>`: an off-site copy of a Dragonfly's data in the backup bucket, written by
 * the server itself (lib/catalog/dragonfly.ts), then the retention. The snapshots on the pods'
 * volumes stay as they are (fast restarts); these survive the cluster.
 */
export class RedisOffsite extends Construct {
  public readonly job: BackupCronJob;
  public readonly requiredSecrets: readonly RequiredSecret[];

  constructor(scope: Construct, id: string, props: RedisOffsiteProps) {
    super(scope, id);
    const saveEnv = new EnvBuilder()
      .set('DRAGONFLY_HOST', props.host)
      .set('SNAPSHOT_URI', props.uri)
      .set('SNAPSHOT_BASENAME', props.basename)
      .secret('REDISCLI_AUTH', props.password, `password of ${props.host}`);
    const retentionEnv = storeEnv(rcloneBaseEnv(), props.bucket)
      .set('SNAPSHOT_FOLDER', `${props.bucket.bucket}/${props.folder}`)
      .set('RETENTION_DAYS', props.retentionDays);
    this.requiredSecrets = [...saveEnv.secrets, ...retentionEnv.secrets];
    const mounts = [{ name: 'tmp', mountPath: RCLONE_HOME }];
    this.job = new BackupCronJob(this, 'CronJob', {
      name: `backup-redis-${props.role}`,
      instanceId: props.instanceId,
      backup: `redis-${props.role}`,
      schedule: props.schedule,
      activeDeadlineSeconds: RUN_LIMIT_SECONDS,
      startingDeadlineSeconds: STARTING_DEADLINE_SECONDS,
      initContainers: [backupContainer({ name: 'save', image: props.image, script: SAVE_SCRIPT, env: saveEnv.toEnv(), resources: containerResources(UPLOAD_RESOURCES), volumeMounts: mounts })],
      containers: [backupContainer({ name: 'retention', image: props.rclone, script: RETENTION_SCRIPT, env: retentionEnv.toEnv(), resources: containerResources(UPLOAD_RESOURCES), volumeMounts: mounts })],
      volumes: [scratchVolume('tmp', TMP_VOLUME_SIZE)],
      pullSecrets: pullSecretNames(props.image, props.rclone),
      placement: props.placement,
    });
  }
}
