import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { SealedSecret } from '../constructs/secrets/sealed-secret';
import { InstanceModel } from '../model/types';
import { ResolvedSecrets } from '../model/secrets';

/** A committed SealedSecret (config/<instance>/sealed/, checked by lib/config/sealed-secrets.ts). */
export interface SealedSecretInput {
  readonly namespace: string;
  readonly name: string;
  readonly encryptedData: Readonly<Record<string, string>>;
}

export interface SecretsChartProps {
  readonly model: InstanceModel;
  /** Every Secret the instance reads (lib/model/secrets.ts). */
  readonly secrets: ResolvedSecrets;
  /** The committed SealedSecrets (delivery sealed-secrets). @default none */
  readonly sealed?: readonly SealedSecretInput[];
}

/**
 * How the instance's Secrets reach the cluster (`secrets.delivery`), in the instance namespace:
 * nothing for `manual` (SECRETS.md says what to create); for `sealed-secrets`, the committed
 * SealedSecret of each Secret the instance reads (not those of `secrets.external`).
 */
export class SecretsChart extends Chart {
  public readonly sealedSecrets: readonly SealedSecret[];

  constructor(scope: Construct, id: string, props: SecretsChartProps) {
    const { instanceId, namespace } = props.model;
    super(scope, id, { namespace, disableResourceNameHashes: true });
    const read = new Set(props.secrets.secrets.filter((s) => !s.external && s.namespace === namespace).map((s) => s.name));
    this.sealedSecrets = props.secrets.settings.delivery === 'sealed-secrets'
      ? (props.sealed ?? []).filter((s) => s.namespace === namespace && read.has(s.name))
        .map((s) => new SealedSecret(this, `SealedSecret-${s.name}`, { instanceId, namespace, name: s.name, encryptedData: s.encryptedData }))
      : [];
  }
}
