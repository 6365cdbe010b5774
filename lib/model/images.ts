import { PostgresMajor } from '../catalog/backup-images';
import { InstanceConfig } from '../config/types';
import { mirrored, parseImage, repositoryOf, ResolvedImage } from '../core/image';
import { Defaults } from './defaults';

type ImagesConfig = NonNullable<InstanceConfig['images']>;
type ImageOverride = NonNullable<ImagesConfig['mastodon']>;

/** Every image an instance renders, where it is pulled from and with which Secrets. */
export interface ImagesModel {
  readonly mastodon: ResolvedImage;
  readonly streaming: ResolvedImage;
  readonly rclone: ResolvedImage;
  readonly postgres: (major: PostgresMajor) => ResolvedImage;
  /** A role's Dragonfly: its own `image` if it names one, else the instance's Dragonfly image. */
  readonly dragonfly: (roleImage: string | undefined) => ResolvedImage;
}

/**
 * The one resolver of images: upstream's reference, then the instance's repository, tag and digest
 * for it (`repository:tag@digest`), then the registry mirror of its host.
 */
export function imagesModel(instance: InstanceConfig, version: string, d: Defaults, dragonflyImage: string): ImagesModel {
  const config = instance.images ?? {};
  const mirrors = config.registryMirrors ?? d.images.registryMirrors;
  const pullSecrets = config.pullSecrets ?? d.images.pullSecrets;
  const resolve = (upstream: string, override: ImageOverride | undefined): ResolvedImage => {
    const parts = parseImage(upstream);
    const repository = override?.repository ?? repositoryOf(upstream);
    const tag = override?.tag ?? parts.tag;
    const digest = override?.digest ?? parts.digest;
    const reference = `${repository}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
    return { reference: mirrored(reference, mirrors), pullSecrets };
  };
  return {
    mastodon: resolve(`${d.images.mastodonRepository}:${version}`, config.mastodon),
    streaming: resolve(`${d.images.streamingRepository}:${version}`, config.streaming),
    rclone: resolve(d.images.rclone, config.rclone),
    postgres: (major) => resolve(d.images.postgres[major], config.postgres),
    dragonfly: (roleImage) => (roleImage !== undefined ? { reference: mirrored(roleImage, mirrors), pullSecrets } : resolve(dragonflyImage, config.dragonfly)),
  };
}
