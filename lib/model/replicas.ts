import { AutoscalingConfig } from '../config/types';
import { ReplicaPlan } from '../sizing/replicas';
import { DEFAULTS, Defaults } from './defaults';

export type { ReplicaPlan };

/** The replica plan of a web or streaming config: `autoscaling` if set, else `replicas`. */
export function replicaPlan(
  config: { readonly replicas?: number; readonly autoscaling?: AutoscalingConfig },
  replicasDefault: number = DEFAULTS.web.replicas,
  autoscalingDefaults: Defaults['autoscaling'] = DEFAULTS.autoscaling,
): ReplicaPlan {
  const a = config.autoscaling;
  if (!a) {
    const replicas = config.replicas ?? replicasDefault;
    return { replicas, minReplicas: replicas, maxReplicas: replicas };
  }
  const autoscaling = {
    minReplicas: a.minReplicas ?? autoscalingDefaults.minReplicas,
    maxReplicas: a.maxReplicas,
    targetCpuUtilization: a.targetCpuUtilization ?? autoscalingDefaults.targetCpuUtilization,
  };
  return { minReplicas: autoscaling.minReplicas, maxReplicas: autoscaling.maxReplicas, autoscaling };
}
