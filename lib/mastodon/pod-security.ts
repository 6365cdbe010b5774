import { k8s } from 'cdk8s-plus-28';

/** The user and group of the `mastodon` user in Mastodon's images (`ARG UID="991"`). */
export const MASTODON_UID = 991;
export const MASTODON_GID = 991;

/**
 * Pod-level security under the "restricted" Pod Security Standard, as the image's user and group
 * (which also owns mounted volumes).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export function restrictedPodSecurityContext(uid: number, gid: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    fsGroup: gid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security under the "restricted" standard, with a read-only root filesystem. */
export function restrictedContainerSecurityContext(uid: number, gid: number): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Pod-level security for every Mastodon pod. */
export function podSecurityContext(): k8s.PodSecurityContext {
  return restrictedPodSecurityContext(MASTODON_UID, MASTODON_GID);
}

export function containerSecurityContext(): k8s.SecurityContext {
  return restrictedContainerSecurityContext(MASTODON_UID, MASTODON_GID);
}
