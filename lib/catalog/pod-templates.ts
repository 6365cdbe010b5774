import { ValuePath } from '../core/source';

/**
 * Where each Kubernetes workload kind keeps its pod template (apps/v1 and batch/v1: a CronJob's is
 * inside its job template).
 */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, ValuePath>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};
