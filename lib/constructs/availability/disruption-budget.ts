import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { WorkloadRef } from '../common/workload-ref';

export interface WorkloadDisruptionBudgetProps {
  readonly workload: WorkloadRef;
}

/**
 * A PodDisruptionBudget named after its Deployment: voluntary evictions (node drains, DOKS
 * upgrades) take at most one pod at a time. `maxUnavailable` rather than `minAvailable` so it
 * follows an autoscaler's count. Unhealthy pods may always be evicted, so a crash-looping pod
 * cannot block a node upgrade.
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
 */
export class WorkloadDisruptionBudget extends Construct {
  public readonly budget: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: WorkloadDisruptionBudgetProps) {
    super(scope, id);
    const { workload } = props;
    this.budget = new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: workload.name, labels: { ...workload.labels } },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: { ...workload.selector } },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
