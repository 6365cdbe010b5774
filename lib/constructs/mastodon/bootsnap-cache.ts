import { k8s } from 'cdk8s-plus-28';
import { ContainerResources } from '../../sizing/resources';
import { ScratchDir } from './scratch';

/**
 * bootsnap's precompiled cache for a pod whose `/opt/mastodon/tmp` is an emptyDir (Sidekiq, whose
 * ready file lives there).
 *
 * The image precompiles bootsnap's cache into `/opt/mastodon/tmp/cache` (mastodon Dockerfile:
 * `bundle exec bootsnap precompile --gemfile app/ lib/`, glitch-soc/mastodon@v4.6.5 Dockerfile:400-402,
 * whose CLI writes to `tmp/cache` by default: Shopify/bootsnap@v1.18.6 lib/bootsnap/cli.rb:27), and
 * an emptyDir over `/opt/mastodon/tmp` hides it, so every Sidekiq start would compile every Ruby
 * file again. An init container, which sees the image's directory, copies the cache to the pod's
 * larger `/tmp` volume, and BOOTSNAP_CACHE_DIR points bootsnap at the copy
 * (lib/bootsnap.rb:87, default_setup). The copy is valid at another path: an entry's file name is a
 * hash of the *source* path (ext/bootsnap/bootsnap.c:305-312, bs_cache_path) and its key the
 * source's size and mtime, which the image does not change. Without a cache in the image (a fork
 * built differently) nothing is copied and bootsnap builds one in the same place.
 */

/** Where the image keeps its precompiled cache (bootsnap's default `tmp/cache` under /opt/mastodon). */
export const IMAGE_BOOTSNAP_CACHE = '/opt/mastodon/tmp/cache';
export const SEED_BOOTSNAP_CONTAINER = 'seed-bootsnap-cache';

/** `cp` of a few hundred MiB at most: its page cache is reclaimable, the limit only bounds it. */
const SEED_RESOURCES: ContainerResources = { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '128Mi' } };

export interface BootsnapCache {
  /** BOOTSNAP_CACHE_DIR of the pod's Ruby processes. */
  readonly path: string;
  /** The emptyDir the copy lives on. */
  readonly volume: ScratchDir;
  /** The init container's command: copy the image's cache there when the image has one. */
  readonly command: readonly string[];
  readonly resources: ContainerResources;
}

/** A copy of the image's bootsnap cache on `volume`. */
export function bootsnapCache(volume: ScratchDir): BootsnapCache {
  const path = `${volume.mountPath}/bootsnap`;
  // Copied once per emptyDir (a pod sandbox restarted with its volume keeps the copy); skipped for
  // images without a cache.
  const command = ['/bin/sh', '-c', `if [ -d ${IMAGE_BOOTSNAP_CACHE} ] && [ ! -e ${path} ]; then cp -a ${IMAGE_BOOTSNAP_CACHE} ${path}; fi`];
  return { path, volume, command, resources: SEED_RESOURCES };
}

/** The BOOTSNAP_CACHE_DIR variable for `cache`. */
export function bootsnapCacheEnv(cache: BootsnapCache): k8s.EnvVar {
  return { name: 'BOOTSNAP_CACHE_DIR', value: cache.path };
}
