import * as path from 'node:path';
import { LoadedInstance } from '../config/types';
import { SealedSecretFile, readSealedSecrets, sealedFile } from '../config/sealed-secrets';
import { error, Finding, warning } from '../core/finding';
import { ResolvedSecrets } from '../model/secrets';
import { InstanceModel } from '../model/types';
import { keyGenerators } from './seal';

/** The committed SealedSecrets the render copies: read only under `secrets.delivery: sealed-secrets`. */
export function sealedInputs(loaded: LoadedInstance, model: InstanceModel): SealedSecretFile[] {
  return model.secrets.delivery === 'sealed-secrets' ? readSealedSecrets(loaded.dir) : [];
}

/**
 * Under sealed-secrets, every key of every Secret the instance reads (in its namespace, not
 * `secrets.external`) must be in a committed SealedSecret: an error names the Secret, the keys and
 * the command that seals them. A committed file the instance no longer reads is not rendered, and
 * said so (a renamed Secret leaves its old file behind).
 */
export function sealedDeliveryFindings(loaded: LoadedInstance, resolved: ResolvedSecrets, sealed: readonly SealedSecretFile[]): Finding[] {
  if (resolved.settings.delivery !== 'sealed-secrets') return [];
  const namespace = loaded.instance.namespace;
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  const delivered = resolved.secrets.filter((s) => !s.external && s.namespace === namespace);
  const generated = keyGenerators(loaded);
  const at = (message: string) => loaded.sources.instance.problem(['secrets', 'delivery'], message);
  const seal = `npx mastodon-cdk8s secrets seal --instance ${loaded.id}`;
  const firstTime = sealed.length === 0
    ? ` Nothing is sealed yet: the Sealed Secrets controller must run first (list sealed-secrets in argocd.operators while secrets.delivery is still manual, sync), then \`kubeseal --fetch-cert > ${shown(path.join(loaded.dir, 'sealed-secrets.pem'))}\` and seal (README, "Secrets").`
    : '';
  const findings: Finding[] = delivered.flatMap((secret) => {
    const have = sealed.find((s) => s.namespace === secret.namespace && s.name === secret.name)?.encryptedData ?? {};
    const missing = secret.keys.map((k) => k.key).filter((k) => !(k in have));
    if (missing.length === 0) return [];
    const canMake = missing.every((k) => generated.some((g) => g.namespace === secret.namespace && g.name === secret.name && g.keys.includes(k)));
    const command = canMake ? seal : `${seal} --secret ${secret.name} --from-file <env file outside the repository: ${missing.map((k) => `${k}=…`).join(', ')}>`;
    return [error(at(`sealed-secrets: Secret ${secret.namespace}/${secret.name} has no sealed ${missing.join(', ')} in ${shown(sealedFile(loaded.dir, secret.namespace, secret.name))}; seal ${missing.length === 1 ? 'it' : 'them'} with \`${command}\` and commit the file.${firstTime}`))];
  });
  for (const file of sealed) {
    if (!delivered.some((s) => s.namespace === file.namespace && s.name === file.name)) {
      findings.push(warning({ file: file.file, line: 1, col: 1, path: '', message: `the instance reads no Secret ${file.name} in namespace ${namespace}${file.namespace === namespace ? '' : ` (this file is for namespace ${file.namespace}; only the instance namespace is delivered)`}, so this SealedSecret is not rendered: remove the file (was the Secret renamed?)` }));
    }
  }
  return findings;
}
