/**
 * Mastodon's images, pinned to the configured release tag. Since v4.3 streaming has its own image.
 * @see https://github.com/mastodon/mastodon/pkgs/container/mastodon
 */
export const MASTODON_IMAGE = 'ghcr.io/mastodon/mastodon';
export const STREAMING_IMAGE = 'ghcr.io/mastodon/mastodon-streaming';

export function mastodonImage(version: string): string {
  return `${MASTODON_IMAGE}:${version}`;
}

export function streamingImage(version: string): string {
  return `${STREAMING_IMAGE}:${version}`;
}
