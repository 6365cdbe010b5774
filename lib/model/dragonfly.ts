import { dragonflyArgs } from '../catalog/dragonfly';
import { RedisEndpoint, RedisRole, REDIS_ROLES } from '../catalog/redis';
import { InstanceConfig } from '../config/types';
import { SecretKeyRef } from '../core/env';
import { dragonflyResources, DragonflyResources, snapshotVolumeSize } from '../sizing/dragonfly';
import { Defaults } from './defaults';
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
}

/** How one Redis role is served: an external server, or a Dragonfly rendered here. */
export type RedisRoleModel = { readonly external: RedisEndpoint } | { readonly dragonfly: DragonflyModel };

/** Every Redis role of an instance, resolved. */
export function redisModel(instance: InstanceConfig, d: Defaults, images: ImagesModel): Readonly<Record<RedisRole, RedisRoleModel>> {
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
        } : {}),
      },
    }];
  })) as Record<RedisRole, RedisRoleModel>;
}
