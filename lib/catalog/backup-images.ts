import { RunAsUser } from './mastodon-images';

export type PostgresMajor = 16 | 17 | 18;

/**
 * The official PostgreSQL images (Debian bookworm variant) by major version, for pg_dump and
 * pg_restore. pg_dump must be at least the server's major version.
 * @see https://hub.docker.com/_/postgres
 */
export const POSTGRES_IMAGES: Readonly<Record<PostgresMajor, string>> = {
  16: 'postgres:16.14-bookworm',
  17: 'postgres:17.10-bookworm',
  18: 'postgres:18.4-bookworm',
};

/**
 * rclone's official image (Alpine: rclone plus busybox sh). It declares no user, so any UID works.
 * @see https://hub.docker.com/r/rclone/rclone
 */
export const RCLONE_IMAGE = 'rclone/rclone:1.75.1';

/**
 * The backup pods run as UID/GID 999, the `postgres` user of the Debian PostgreSQL images; rclone
 * shares it so that both containers own the dump on the shared scratch volume.
 */
export const BACKUP_USER: RunAsUser = { uid: 999, gid: 999 };
