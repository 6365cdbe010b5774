import { k8s } from 'cdk8s-plus-28';

/** Read-only files a container mounts from ConfigMaps or Secrets, with the volumes they come from. */
export interface MountedFiles {
  readonly volumes: readonly k8s.Volume[];
  readonly mounts: readonly k8s.VolumeMount[];
}

export const NO_FILES: MountedFiles = { volumes: [], mounts: [] };
