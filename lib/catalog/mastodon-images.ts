/**
 * Mastodon's image repositories; the tag is the release (`mastodon.version`), resolved with the
 * instance's `images` settings in lib/model/images.ts. Since v4.3 streaming has its own image.
 * @see https://github.com/mastodon/mastodon/pkgs/container/mastodon
 */
export const MASTODON_IMAGE = 'ghcr.io/mastodon/mastodon';
export const STREAMING_IMAGE = 'ghcr.io/mastodon/mastodon-streaming';

/** The user and group a pod's containers run as. */
export interface RunAsUser {
  readonly uid: number;
  readonly gid: number;
}

/** The user and group of the `mastodon` user in Mastodon's images (`ARG UID="991"`). */
export const MASTODON_UID = 991;
export const MASTODON_GID = 991;
export const MASTODON_USER: RunAsUser = { uid: MASTODON_UID, gid: MASTODON_GID };
