import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Component, objectLabels } from '../common/labels';
import { MastodonDeployment } from './mastodon-deployment';

/** A ClusterIP Service in front of one Mastodon Deployment, on its named port. */
export function serviceFor(scope: Construct, workload: MastodonDeployment, instance: string, component: Component, port: { name: string; port: number }): k8s.KubeService {
  return new k8s.KubeService(scope, 'Service', {
    metadata: { name: workload.name, labels: objectLabels(instance, component) },
    spec: {
      type: 'ClusterIP',
      selector: { ...workload.selector },
      ports: [{ name: port.name, port: port.port, targetPort: k8s.IntOrString.fromString(port.name), protocol: 'TCP' }],
    },
  });
}
