import { ScratchDir } from './pod-template';

/**
 * Writable directories for a read-only root filesystem. Rails writes pid files, the Sidekiq ready
 * file and bootsnap's cache under /opt/mastodon/tmp; Ruby and libvips/ffmpeg use /tmp for uploads
 * and media processing (videos up to 99 MiB, hence the larger limit for Sidekiq).
 */
export const RAILS_TMP: ScratchDir = { name: 'rails-tmp', mountPath: '/opt/mastodon/tmp', sizeLimit: '512Mi' };
export const SYSTEM_TMP: ScratchDir = { name: 'tmp', mountPath: '/tmp', sizeLimit: '1Gi' };
export const SIDEKIQ_SYSTEM_TMP: ScratchDir = { ...SYSTEM_TMP, sizeLimit: '4Gi' };
