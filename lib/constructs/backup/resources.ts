import { k8s } from 'cdk8s-plus-28';

/**
 * Fixed resources of the backup containers. pg_dump streams rows and compresses them, so it needs
 * little memory whatever the database size; rclone holds a few upload chunks per transfer.
 */
export const DUMP_RESOURCES = { cpu: '250m', memory: '256Mi', memoryLimit: '1Gi' } as const;
export const UPLOAD_RESOURCES = { cpu: '100m', memory: '128Mi', memoryLimit: '512Mi' } as const;
/** The media sync keeps MEDIA_SYNC_TRANSFERS uploads and MEDIA_SYNC_CHECKERS listings in flight. */
export const MEDIA_SYNC_RESOURCES = { cpu: '250m', memory: '256Mi', memoryLimit: '1Gi' } as const;

export function containerResources(r: { cpu: string; memory: string; memoryLimit: string }, ephemeralStorage?: string): k8s.ResourceRequirements {
  return {
    requests: {
      'cpu': k8s.Quantity.fromString(r.cpu),
      'memory': k8s.Quantity.fromString(r.memory),
      ...(ephemeralStorage ? { 'ephemeral-storage': k8s.Quantity.fromString(ephemeralStorage) } : {}),
    },
    limits: { memory: k8s.Quantity.fromString(r.memoryLimit) },
  };
}
