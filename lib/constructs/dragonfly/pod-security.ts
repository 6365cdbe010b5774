import { DragonflySpecContainerSecurityContext, DragonflySpecPodSecurityContext } from '../../../imports/dragonfly-dragonflydb.io';
import { RunAsUser } from '../../catalog/mastodon-images';
import { containerSecurityContext, podSecurityContext } from '../common/pod-security';

/**
 * The `dfly` user and group of the Dragonfly image (`groupadd -r -g 999 dfly && useradd -r -g dfly
 * -u 999 dfly`, `USER dfly`); the operator uses the group as its default fsGroup, which setting
 * podSecurityContext replaces.
 * @see https://github.com/dragonflydb/dragonfly/blob/main/tools/packaging/Dockerfile.ubuntu-prod
 */
export const DRAGONFLY_USER: RunAsUser = { uid: 999, gid: 999 };

/** The restricted Pod Security Standard for Dragonfly pods; fsGroup makes snapshot volumes writable. */
export function dragonflyPodSecurityContext(): DragonflySpecPodSecurityContext {
  return podSecurityContext(DRAGONFLY_USER);
}

/** Dragonfly writes only snapshots (to their volume) and logs only to stderr: the root stays read-only. */
export function dragonflyContainerSecurityContext(): DragonflySpecContainerSecurityContext {
  return containerSecurityContext(DRAGONFLY_USER);
}
