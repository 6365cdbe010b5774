import { k8s } from 'cdk8s-plus-28';

/** The user and group of the `mastodon` user in Mastodon's images (`ARG UID="991"`). */
export const MASTODON_UID = 991;
export const MASTODON_GID = 991;

/**
 * Pod-level security for every Mastodon pod: the "restricted" Pod Security Standard.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export function podSecurityContext(): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: MASTODON_UID,
    runAsGroup: MASTODON_GID,
    fsGroup: MASTODON_GID,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function containerSecurityContext(): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: MASTODON_UID,
    runAsGroup: MASTODON_GID,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
