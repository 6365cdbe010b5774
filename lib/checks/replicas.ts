import { Check } from './check';
import { error } from '../core/finding';
import { ConfigProblem } from '../core/errors';
import { ConfigSource } from '../core/source';
import { InstanceConfig } from '../config/types';
import { Defaults } from '../model/defaults';

/**
 * Web and streaming: `replicas` and `autoscaling` exclude each other (the Deployment's replicas
 * would fight the autoscaler's), and the autoscaler's range must not be empty.
 */
function replicaProblems(source: ConfigSource, instance: InstanceConfig, d: Defaults): ConfigProblem[] {
  return (['web', 'streaming'] as const).flatMap((component) => {
    const config = instance[component];
    const a = config?.autoscaling;
    if (!config || !a) return [];
    const problems: ConfigProblem[] = [];
    if (config.replicas !== undefined) {
      problems.push(source.problem([component, 'replicas'], `${config.replicas} is not allowed together with autoscaling; allowed: either replicas (a fixed count) or autoscaling.minReplicas and maxReplicas`));
    }
    if (a.maxReplicas < (a.minReplicas ?? d.autoscaling.minReplicas)) {
      problems.push(source.problem([component, 'autoscaling', 'maxReplicas'], `${a.maxReplicas} is not allowed: must be >= minReplicas (${a.minReplicas ?? d.autoscaling.minReplicas})`));
    }
    return problems;
  });
}

export const checkReplicas: Check = ({ sources, instance, defaults }) => replicaProblems(sources.instance, instance, defaults).map(error);
