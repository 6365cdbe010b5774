import { Construct } from 'constructs';
import { SealedSecret as SealedSecretResource } from '../../../imports/sealedsecret-bitnami.com';
import { objectLabels } from '../common/labels';

export interface SealedSecretProps {
  readonly instanceId: string;
  /** The SealedSecret's and its Secret's name. */
  readonly name: string;
  readonly namespace: string;
  /** Each key's value, sealed for this name and namespace (strict scope), as committed. */
  readonly encryptedData: Readonly<Record<string, string>>;
}

/**
 * A SealedSecret copied from `config/<instance>/sealed/`: the controller unseals it into the
 * Secret of the same name in the same namespace (sealed-secrets@v0.36.6
 * pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go:337-339), owned by the SealedSecret
 * (:342-354). Strict scope: no scope annotation (:111-120). Synth copies the ciphertext; it never
 * encrypts, so the output is the same on every run.
 */
export class SealedSecret extends Construct {
  public readonly resource: SealedSecretResource;

  constructor(scope: Construct, id: string, props: SealedSecretProps) {
    super(scope, id);
    const { instanceId, name, namespace, encryptedData } = props;
    const labels = objectLabels(instanceId, 'secrets');
    this.resource = new SealedSecretResource(this, 'Resource', {
      metadata: { name, namespace, labels },
      spec: {
        encryptedData: { ...encryptedData },
        // The Secret carries the instance's labels, so `kubectl get secret -l app.kubernetes.io/instance=…` finds it.
        template: { metadata: { name, namespace, labels }, type: 'Opaque' },
      },
    });
  }
}
