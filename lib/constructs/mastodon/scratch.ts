/** A writable directory on an emptyDir (the root filesystem is read-only). */
export interface ScratchDir {
  readonly name: string;
  readonly mountPath: string;
  /** @default no limit */
  readonly sizeLimit?: string;
}

/**
 * Writable directories for a read-only root filesystem.
 *
 * - `/tmp` (every Mastodon pod): Ruby's TMPDIR lives in a private subdirectory of it (see
 *   ./ruby-tmpdir.ts), where Puma spools large request bodies and Paperclip, libvips and ffmpeg
 *   download and transcode media (videos up to 99 MiB, hence the larger limit for Sidekiq).
 * - `/opt/mastodon/tmp` (Sidekiq only): Mastodon touches its ready file there
 *   (config/initializers/sidekiq.rb:15); the image's bootsnap cache it hides is copied to `/tmp`
 *   (./bootsnap-cache.ts). Web and Jobs leave the image's directory visible, so the
 *   bootsnap cache the image precompiled there (Dockerfile:401-402) is used, read-only
 *   (`BOOTSNAP_READONLY`); nothing else of Mastodon writes under it (Puma's tmp_restart plugin
 *   gives up when it cannot write, and puma.rb sets no pid file).
 */
export const RAILS_TMP: ScratchDir = { name: 'rails-tmp', mountPath: '/opt/mastodon/tmp', sizeLimit: '512Mi' };
export const SYSTEM_TMP: ScratchDir = { name: 'tmp', mountPath: '/tmp', sizeLimit: '1Gi' };
export const SIDEKIQ_SYSTEM_TMP: ScratchDir = { ...SYSTEM_TMP, sizeLimit: '4Gi' };

/**
 * For pods without RAILS_TMP: bootsnap (config/boot.rb:18 requires bootsnap/setup) uses the image's
 * precompiled cache under /opt/mastodon/tmp/cache and, read-only, never tries to write it
 * (Shopify/bootsnap lib/bootsnap.rb default_setup: `readonly: bool_env("BOOTSNAP_READONLY")`).
 */
export const BOOTSNAP_READONLY = { name: 'BOOTSNAP_READONLY', value: 'true' } as const;
