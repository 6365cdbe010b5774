import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HpaSettings } from '../../sizing/replicas';
import { WorkloadRef } from '../common/workload-ref';

export interface WorkloadAutoscalerProps {
  readonly workload: WorkloadRef;
  readonly autoscaling: HpaSettings;
}

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) on the average CPU use of a Deployment's pods,
 * relative to their CPU request (always rendered). The Deployment carries no `replicas` then.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export class WorkloadAutoscaler extends Construct {
  public readonly autoscaler: k8s.KubeHorizontalPodAutoscalerV2;

  constructor(scope: Construct, id: string, props: WorkloadAutoscalerProps) {
    super(scope, id);
    const { workload, autoscaling } = props;
    this.autoscaler = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: { name: workload.name, labels: { ...workload.labels } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: workload.name },
        minReplicas: autoscaling.minReplicas,
        maxReplicas: autoscaling.maxReplicas,
        metrics: [{
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.targetCpuUtilization } },
        }],
      },
    });
  }
}
