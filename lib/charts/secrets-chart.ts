import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ExternalSecret } from '../constructs/secrets/external-secret';
import { PasswordGenerator } from '../constructs/secrets/password-generator';
import { InstanceModel } from '../model/types';
import { ExternalSecretsSettings, generatorName, remoteKeyOf, ResolvedSecrets, SecretSpec } from '../model/secrets';

export interface SecretsChartProps {
  readonly model: InstanceModel;
  /** Every Secret the instance reads (lib/model/secrets.ts). */
  readonly secrets: ResolvedSecrets;
}

/**
 * How the instance's Secrets reach the cluster (`secrets.delivery`), in the instance namespace:
 * nothing for `manual` (SECRETS.md says what to create). Secrets in `secrets.external`, and those of
 * other namespaces (the instance's Applications deploy only into its own), are left to other means.
 */
export class SecretsChart extends Chart {
  public readonly externalSecrets: readonly ExternalSecret[];
  public readonly generators: readonly PasswordGenerator[];

  constructor(scope: Construct, id: string, props: SecretsChartProps) {
    const { instanceId, namespace } = props.model;
    super(scope, id, { namespace, disableResourceNameHashes: true });
    const delivered = props.secrets.secrets.filter((s) => !s.external && s.namespace === namespace);
    const eso = props.secrets.settings.externalSecrets;
    const generators: PasswordGenerator[] = [];
    this.externalSecrets = props.secrets.settings.delivery === 'external-secrets' && eso
      ? delivered.map((secret) => {
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

/** The keys of a Secret read from the store: `<prefix>/<Secret>`, one property per key. */
function storeKeys(secret: SecretSpec, eso: ExternalSecretsSettings) {
  return secret.keys.filter((k) => !k.generatedInCluster).map((k) => ({ secretKey: k.key, remoteKey: remoteKeyOf(eso, secret.name), property: k.key }));
}
