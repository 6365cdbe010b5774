import { Check } from './check';
import { error, Finding, warning } from '../core/finding';

/**
 * `secrets.delivery` and its section: external-secrets needs the store it reads from; a store
 * configured for another delivery is never read, which is worth a word (a switch half made).
 */
export const checkSecretsDelivery: Check = ({ sources, instance, defaults }) => {
  const secrets = instance.secrets ?? {};
  const delivery = secrets.delivery ?? defaults.secrets.delivery;
  if (delivery === 'external-secrets' && !secrets.externalSecrets) {
    const at = secrets.delivery ? ['secrets', 'delivery'] : ['secrets'];
    return [error(sources.instance.problem(at, 'delivery external-secrets reads every Secret from a store; allowed: add secrets.externalSecrets.store ({kind: SecretStore or ClusterSecretStore, name}), or another delivery', true))];
  }
  const findings: Finding[] = [];
  if (delivery !== 'external-secrets' && secrets.externalSecrets) {
    findings.push(warning(sources.instance.problem(['secrets', 'externalSecrets'], `is read only with secrets.delivery: external-secrets (the delivery is ${delivery}); remove it, or set the delivery`, true)));
  }
  return findings;
};
