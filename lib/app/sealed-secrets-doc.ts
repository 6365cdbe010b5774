import * as path from 'node:path';
import { LoadedInstance } from '../config/types';
import { SEALED_FOLDER } from '../config/sealed-secrets';
import { SecretSpec } from '../model/secrets';
import { keyGenerators } from './seal';

/**
 * SECRETS.md under `secrets.delivery: sealed-secrets`: the sealed file each Secret comes from and
 * the command that seals it (generated keys without input; a provider's keys from an env file).
 */
export function sealedSecretsInstructions(loaded: LoadedInstance, delivered: readonly SecretSpec[]): string[] {
  const generators = keyGenerators(loaded);
  const seal = `npx mastodon-cdk8s secrets seal --instance ${loaded.id}`;
  const folder = path.posix.join('config', loaded.id, SEALED_FOLDER);
  const made = (s: SecretSpec, key: string) => generators.some((g) => g.namespace === s.namespace && g.name === s.name && g.keys.includes(key));
  return [
    `Delivered as SealedSecrets (\`secrets.delivery: sealed-secrets\`): each Secret comes from its committed file under`,
    `\`${folder}/\`, encrypted for the cluster's Sealed Secrets controller, which unseals it into the Secret`,
    '(README, "Sealed Secrets"). Synth fails while a key is not sealed. Seal them once the controller runs and',
    `its certificate is committed (\`kubeseal --fetch-cert > config/${loaded.id}/sealed-secrets.pem\`):`,
    '',
    '| Secret | sealed file | keys | how |',
    '| --- | --- | --- | --- |',
    ...delivered.map((s) => {
      const keys = s.keys.map((k) => k.key);
      const how = keys.every((k) => made(s, k))
        ? `generated and sealed by \`${seal}\``
        : `\`${seal} --secret ${s.name} --from-file ~/.secrets/${loaded.id}/${s.name}.env\` (${keys.map((k) => `${k}=…`).join(', ')}, one per line; outside the repository)`;
      return `| \`${s.namespace}/${s.name}\` | \`${folder}/${s.namespace}/${s.name}.yaml\` | ${keys.map((k) => `\`${k}\``).join(', ')} | ${how} |`;
    }),
    '',
  ];
}
