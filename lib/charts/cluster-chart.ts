import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { LetsEncryptIssuers } from '../constructs/cert-manager/lets-encrypt-issuers';
import { InstanceModel } from '../model/types';

export interface ClusterChartProps {
  readonly model: InstanceModel;
}

/**
 * The instance's cluster-scoped objects: the Let's Encrypt ClusterIssuers. This chart has no
 * namespace, since cdk8s would stamp a chart's namespace onto cluster-scoped objects too
 * (cdk8s-team/cdk8s-core#731).
 */
export class ClusterChart extends Chart {
  /** @default none, without a certManager section */
  public readonly issuers?: LetsEncryptIssuers;

  constructor(scope: Construct, id: string, props: ClusterChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { instanceId, certManager } = props.model;
    if (certManager) {
      this.issuers = new LetsEncryptIssuers(this, 'LetsEncrypt', { instanceId, ...certManager });
    }
  }
}
