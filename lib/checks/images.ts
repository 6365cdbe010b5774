import { Check } from './check';
import { error } from '../core/finding';
import { ConfigProblem } from '../core/errors';

/** A Mastodon release tag: the version rules (lib/catalog/mastodon-releases.ts) read it. */
const RELEASE_TAG = /^v[0-9]+\.[0-9]+\.[0-9]+$/;

/** Tags that name no fixed build. */
const MOVING_TAGS = new Set(['latest', 'edge', 'nightly', 'main', 'stable']);

/**
 * `images`: a Mastodon or streaming image tag that names a release is `mastodon.version`, digest
 * or not (the migrations, environment and flags the render writes follow mastodon.version, so a
 * pin of another release would run code the render did not plan for); any other tag of those two
 * (a fork's build, `nightly.2026-08-08`) and a moving tag of any image must come with a digest:
 * with `imagePullPolicy: IfNotPresent`, nodes that pulled the tag at different times would run
 * different builds.
 */
export const checkImages: Check = ({ sources, instance }) => {
  const source = sources.instance;
  const config = instance.images ?? {};
  const version = instance.mastodon.version;
  const problems: ConfigProblem[] = [];
  for (const name of ['mastodon', 'streaming'] as const) {
    const image = config[name];
    const tag = image?.tag;
    if (tag === undefined) continue;
    if (RELEASE_TAG.test(tag) && tag !== version) {
      problems.push(source.problem(['images', name, 'tag'], `${tag} is not allowed: mastodon.version is ${version}${image?.digest ? ', so the digest pins another release than the one rendered' : ''}; allowed: ${version} (or leave tag out), or change mastodon.version`));
    } else if (!RELEASE_TAG.test(tag) && image?.digest === undefined) {
      problems.push(source.problem(['images', name, 'tag'], `${tag} is not allowed without a digest: it is not a release, and pods pulled at different times would run different builds; allowed: a release tag (${version}), or pin images.${name}.digest`));
    }
  }
  for (const name of ['dragonfly', 'postgres', 'rclone'] as const) {
    const image = config[name];
    if (image?.tag !== undefined && MOVING_TAGS.has(image.tag) && image.digest === undefined) {
      problems.push(source.problem(['images', name, 'tag'], `${image.tag} is not allowed without a digest: it moves, and pods pulled at different times would run different builds; allowed: a version tag, or pin images.${name}.digest`));
    }
  }
  return problems.map(error);
};
