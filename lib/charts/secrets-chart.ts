import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ExternalSecret } from '../constructs/secrets/external-secret';
import { PasswordGenerator } from '../constructs/secrets/password-generator';
import { SealedSecret } from '../constructs/secrets/sealed-secret';
import { InstanceModel } from '../model/types';
import { ExternalSecretsSettings, externalSecretsPlan, generatorName, remoteKeyOf, ResolvedSecrets, SecretSpec } from '../model/secrets';

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
 * SealedSecret of each Secret the instance reads. Secrets in `secrets.external` are left to
 * other means; those of other namespaces go to PlatformSecretsChart (the instance project deploys
 * only into the instance namespace).
 */
export class SecretsChart extends Chart {
  public readonly externalSecrets: readonly ExternalSecret[];
  public readonly generators: readonly PasswordGenerator[];
  public readonly sealedSecrets: readonly SealedSecret[];

  constructor(scope: Construct, id: string, props: SecretsChartProps) {
    const { instanceId, namespace } = props.model;
    super(scope, id, { namespace, disableResourceNameHashes: true });
    const read = new Set(props.secrets.secrets.filter((s) => !s.external && s.namespace === namespace).map((s) => s.name));
    this.sealedSecrets = props.secrets.settings.delivery === 'sealed-secrets'
      ? (props.sealed ?? []).filter((s) => s.namespace === namespace && read.has(s.name))
        .map((s) => new SealedSecret(this, `SealedSecret-${s.name}`, { instanceId, namespace, name: s.name, encryptedData: s.encryptedData }))
      : [];
    const eso = props.secrets.settings.externalSecrets;
    const generators: PasswordGenerator[] = [];
    this.externalSecrets = eso
      ? externalSecretsPlan(props.secrets, namespace).inNamespace.map((secret) => {
        const made = secret.keys.flatMap((k) => (k.generatedInCluster ? [new PasswordGenerator(this, `Password-${secret.name}-${k.key}`, {
          instanceId, name: generatorName(secret.name, k.key), secretKey: k.key, spec: k.generatedInCluster.spec,
        })] : []));
        generators.push(...made);
        return new ExternalSecret(this, `ExternalSecret-${secret.name}`, {
          instanceId,
          name: secret.name,
          storeKeys: storeKeys(secret, eso),
          store: eso.store,
          generators: made.map((g) => g.password.name),
          refreshInterval: eso.refreshInterval,
        });
      })
      : [];
    this.generators = generators;
  }
}

/**
 * The Secrets of other namespaces (the DNS-01 token in cert-manager's), from a ClusterSecretStore:
 * one ExternalSecret each, in the Secret's namespace. Its Application belongs to the platform
 * project, which may deploy there.
 */
export class PlatformSecretsChart extends Chart {
  public readonly externalSecrets: readonly ExternalSecret[];

  constructor(scope: Construct, id: string, props: SecretsChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const eso = props.secrets.settings.externalSecrets;
    this.externalSecrets = eso
      ? externalSecretsPlan(props.secrets, props.model.namespace).elsewhere.map((secret) => new ExternalSecret(this, `ExternalSecret-${secret.namespace}-${secret.name}`, {
        instanceId: props.model.instanceId,
        name: secret.name,
        namespace: secret.namespace,
        storeKeys: storeKeys(secret, eso),
        store: eso.store,
        refreshInterval: eso.refreshInterval,
      }))
      : [];
  }
}

/** The keys of a Secret read from the store: `<prefix>/<Secret>`, one property per key. */
export function storeKeys(secret: SecretSpec, eso: ExternalSecretsSettings) {
  return secret.keys.filter((k) => !k.generatedInCluster).map((k) => ({ secretKey: k.key, remoteKey: remoteKeyOf(eso, secret.name), property: k.key }));
}
