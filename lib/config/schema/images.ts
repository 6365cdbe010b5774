import { Type } from '@sinclair/typebox';
import { map, namePattern, obj, opt, pattern } from './kit';

/**
 * `images`: where the images of an instance come from — a registry mirror, a fork's repository,
 * a tag and a digest per image, and the Secrets pods pull them with.
 */

const REGISTRY_HOST = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?$';

const override = (what: string, tagDefault: string) => obj({
  repository: opt(`The ${what} repository, registry included (a fork: ghcr.io/glitch-soc/mastodon). Default: upstream's.`,
    pattern('^[a-z0-9]([-a-z0-9._]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)+$', 'an image repository without tag, such as ghcr.io/glitch-soc/mastodon')),
  tag: opt(`The tag. Default: ${tagDefault}. A tag that moves (edge, nightly, latest) needs a digest.`, pattern('^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$', 'an image tag such as v4.7.2 or nightly.2026-08-08')),
  digest: opt('Pin the image: the kubelet pulls exactly this manifest (repository:tag@digest); the tag stays for reading. `docker buildx imagetools inspect <image>` or the registry shows it.',
    pattern('^sha256:[0-9a-f]{64}$', 'sha256: and 64 lowercase hex digits')),
});

export const images = obj({
  registryMirrors: opt('Pull through mirrors: each registry host (ghcr.io, docker.io, docker.dragonflydb.io) to the registry and path that serve it (registry.example.com/ghcr). Applies to every image rendered. Default: none.',
    map(namePattern(REGISTRY_HOST, 'a registry host such as ghcr.io or docker.io'), pattern('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?(/[A-Za-z0-9._-]+)*$', 'a registry host and optional path, such as registry.example.com/ghcr'))),
  pullSecrets: opt('Secrets (type kubernetes.io/dockerconfigjson) every pod pulls its images with: imagePullSecrets of each pod, spec.imagePullSecrets of each Dragonfly. Create each in the instance namespace with kubectl create secret docker-registry <name> --from-file=.dockerconfigjson=<a docker config.json> (keeps the token off the command line; not listed in SECRETS.md). Default: none.',
    Type.Array(pattern('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', 'a Secret name'), { uniqueItems: true, minItems: 1 })),
  mastodon: opt('The Mastodon image (web, Sidekiq, jobs).', override('Mastodon', 'mastodon.version')),
  streaming: opt('The streaming image (Mastodon 4.3+).', override('streaming', 'mastodon.version')),
  dragonfly: opt("The Dragonfly image of every role without its own redis.<role>.dragonfly.image.", override('Dragonfly', "the catalog's pinned release")),
  postgres: opt("The PostgreSQL image of the database backup (pg_dump).", override('PostgreSQL', "the catalog's release of backups.database.postgresVersion")),
  rclone: opt('The rclone image of the backups.', override('rclone', "the catalog's pinned release")),
});
