import { dragonflyArgs } from '../catalog/dragonfly';
import { RedisEndpoint, RedisRole, REDIS_ROLES } from '../catalog/redis';
import { InstanceConfig } from '../config/types';
import { SecretKeyRef } from '../core/env';
import { dragonflyResources, DragonflyResources, snapshotVolumeSize } from '../sizing/dragonfly';
import { Defaults, DERIVED } from './defaults';
import { externalEndpoint } from './redis';
import { ImagesModel } from './images';
import { ResolvedImage } from '../core/image';

/** A role's Dragonfly, every default resolved. */
export interface DragonflyModel {
  readonly role: RedisRole;
  readonly password: SecretKeyRef;
  /** Pods, master included. */
  readonly replicas: number;
  readonly image: ResolvedImage;
  /** Server flags: ours, the role's, then the user's. */
  readonly args: readonly string[];
  readonly resources: DragonflyResources;
  /** @default none: no persistence (the cache role) */
  readonly snapshot?: { readonly cron: string; readonly storageClassName: string; readonly size: string };
  /** With backups.redis and snapshots: the bucket SAVE writes off-site copies to (the backup-redis CronJob). @default none */
  readonly offsite?: DragonflyOffsite;
}

/** Where a Dragonfly's off-site copies go: the backup bucket's endpoint and keys, read by the server from its environment. */
export interface DragonflyOffsite {
  /** `--s3_endpoint`: the endpoint's host (https is the server's default). */
  readonly endpointHost: string;
  readonly region: string;
  readonly accessKeyId: SecretKeyRef;
  readonly secretAccessKey: SecretKeyRef;
  /** `s3://<bucket>/<prefix>/redis/<role>`. */
  readonly uri: string;
  /** The bucket and folder of `uri`, for the retention (rclone). */
  readonly bucket: string;
  readonly folder: string;
  readonly endpoint: string;
  /** The CronJob's schedule (UTC) and the copies' retention. */
  readonly schedule: string;
  readonly retentionDays: number;
}

/** How one Redis role is served: an external server, or a Dragonfly rendered here. */
export type RedisRoleModel = { readonly external: RedisEndpoint } | { readonly dragonfly: DragonflyModel };

/** The backup bucket under `<prefix>/redis/<role>`, for a role's off-site copies. */
function offsite(instanceId: string, instance: InstanceConfig, role: RedisRole, d: Defaults): DragonflyOffsite {
  const { destination, redis } = instance.backups!;
  const prefix = destination.prefix ?? DERIVED.backupPrefix(instanceId);
  const folder = `${prefix}/${REDIS_BACKUP_FOLDER}/${role}`;
  return {
    bucket: destination.bucket,
    folder,
    endpoint: destination.endpoint,
    schedule: redis?.schedule ?? d.backups.redis.schedule,
    retentionDays: redis?.retentionDays ?? d.backups.redis.retentionDays,
    endpointHost: DERIVED.s3Hostname(new URL(destination.endpoint)),
    region: destination.region,
    accessKeyId: destination.accessKeyId,
    secretAccessKey: destination.secretAccessKey,
    uri: `s3://${destination.bucket}/${folder}`,
  };
}

/** The backup bucket's folder (under the prefix) of the Dragonflies' off-site copies, beside the vault's `database/` and `media/`. */
export const REDIS_BACKUP_FOLDER = 'redis';

/** Every Redis role of an instance, resolved. */
export function redisModel(instance: InstanceConfig, d: Defaults, images: ImagesModel, instanceId: string): Readonly<Record<RedisRole, RedisRoleModel>> {
  return Object.fromEntries(REDIS_ROLES.map(({ role }): [RedisRole, RedisRoleModel] => {
    const config = instance.redis?.[role];
    if (config?.external) return [role, { external: externalEndpoint(config.external, d) }];
    const df = config?.dragonfly ?? {};
    const snapshots = df.snapshot?.enabled ?? d.dragonfly.snapshots[role];
    const resources = dragonflyResources(role, df.resources);
    return [role, {
      dragonfly: {
        role,
        password: df.password ?? d.dragonfly.password,
        replicas: df.replicas ?? d.dragonfly.replicas,
        image: images.dragonfly(df.image),
        args: dragonflyArgs(role, snapshots, df.args),
        resources,
        ...(snapshots ? {
          snapshot: {
            cron: df.snapshot?.cron ?? d.dragonfly.snapshotCron,
            storageClassName: df.snapshot?.storageClassName ?? d.dragonfly.storageClassName,
            size: df.snapshot?.size ?? snapshotVolumeSize(resources.limits.memory),
          },
          ...(instance.backups?.redis ? { offsite: offsite(instanceId, instance, role, d) } : {}),
        } : {}),
      },
    }];
  })) as Record<RedisRole, RedisRoleModel>;
}
