import { k8s } from 'cdk8s-plus-28';

import { MASTODON_USER, RunAsUser } from '../../catalog/mastodon-images';

/**
 * Pod-level security for every pod: the "restricted" Pod Security Standard, as the given user
 * (an explicit non-root UID, so the image's default user does not matter).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export function podSecurityContext(user: RunAsUser = MASTODON_USER): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user.uid,
    runAsGroup: user.gid,
    fsGroup: user.gid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function containerSecurityContext(user: RunAsUser = MASTODON_USER): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user.uid,
    runAsGroup: user.gid,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
