import * as path from 'node:path';
import { Command } from 'commander';
import { planRotation, Rotation } from '../app/rotate';
import { planSeal, SealError, sealedFileOf, sealedSecretFileText, sealerFor } from '../app/seal';
import { readSealedSecrets } from '../config/sealed-secrets';
import { LoadedInstance } from '../config/types';
import { FileError } from '../core/file-error';
import { sealCommandLine, sealingKey, writeSealedFile } from './seal';
import { loadOne, printSecretValues } from './secrets-common';

interface RotateOptions {
  readonly config?: string;
  readonly instance?: string;
  readonly cert?: string;
  readonly force?: boolean;
  readonly acceptDataLoss?: boolean;
}

/** Why nothing was rotated (exit 1): names keys and consequences, never a value. */
class NotRotated extends FileError {}

function fill(text: string, loaded: LoadedInstance): string {
  return text.replace(/<namespace>/g, loaded.instance.namespace).replace(/<instance>/g, loaded.id);
}

/** Refuses what loses data or was not confirmed; returns the consequence to print when going on. */
function confirm(loaded: LoadedInstance, rotation: Rotation, name: string, options: RotateOptions): string {
  const { policy, keys, secret } = rotation;
  const what = `${secret.name}/${keys.join(' and ')}`;
  switch (policy.kind) {
    case 'provider':
      throw new NotRotated(`secrets rotate ${name}`, `${what} is issued by its provider, not made here: rotate it there, then seal or store the new value `
        + `(${sealCommandLine(loaded, ` --secret ${secret.name} --from-file <env file outside the repository>`)} under sealed-secrets), and restart the pods that read it`);
    case 'data-loss':
      if (!options.acceptDataLoss) {
        throw new NotRotated(`secrets rotate ${name}`, `refused: replacing ${what} loses data. ${policy.consequence}.\nInstead: ${policy.procedure}.\n`
          + `(read in ${policy.source})\nTo replace it anyway, accepting that loss: --accept-data-loss`);
      }
      return `replacing ${what}, accepting the loss: ${policy.consequence}.`;
    case 'rotatable':
      if (!options.force) {
        throw new NotRotated(`secrets rotate ${name}`, `replacing ${what} has a cost: ${policy.consequence}.\nAfterwards: ${fill(policy.afterwards, loaded)}.\n`
          + 'Nothing was changed; to go on, run it again with --force');
      }
      return `replacing ${what}: ${policy.consequence}.\nAfterwards: ${fill(policy.afterwards, loaded)}.`;
  }
}

function rotate(name: string, options: RotateOptions): void {
  const loaded = loadOne(options.config, options.instance);
  const rotation = planRotation(loaded, name);
  const note = confirm(loaded, rotation, name, options);
  const { secret, keys, generator, resolved } = rotation;
  if (!generator) {
    throw new NotRotated(`secrets rotate ${name}`, `${note}\nmastodon-cdk8s cannot make ${keys.join(', ')}: seal or store the new value yourself (${sealCommandLine(loaded, ` --secret ${secret.name} --from-file <env file outside the repository>`)})`);
  }
  const delivery = resolved.settings.delivery;
  if (delivery === 'sealed-secrets') {
    const plan = planSeal({
      needed: [{ namespace: secret.namespace, name: secret.name, keys }],
      committed: readSealedSecrets(loaded.dir),
      given: new Map(),
      generators: [generator],
      regenerate: keys.map((key) => ({ namespace: secret.namespace, name: secret.name, key })),
      instanceNamespace: loaded.instance.namespace,
      seal: sealerFor(sealingKey(loaded, options.cert).key),
    });
    for (const update of plan.updates) writeSealedFile(sealedFileOf(loaded, update), sealedSecretFileText(update));
    const file = path.relative(process.cwd(), sealedFileOf(loaded, secret)) || sealedFileOf(loaded, secret);
    process.stderr.write(`${note}\nsealed new ${keys.join(' and ')} into ${file}: commit it and merge; the controller updates the Secret when Argo CD syncs it.\n`);
    return;
  }
  if (delivery === 'external-secrets' && rotation.generatedInCluster) {
    process.stderr.write(`${note}\n${keys.join(', ')} is generated in the cluster by the External Secrets Operator, once (refreshPolicy CreatedOnce): `
      + `delete the Secret and ESO makes it again with new generated values and the store's current ones:\n  kubectl -n ${secret.namespace} delete secret ${secret.name}\n`);
    return;
  }
  const values = generator.generate();
  const fresh = Object.fromEntries(keys.map((k) => [k, values[k]]));
  if (delivery === 'external-secrets' && rotation.remoteKey !== undefined) {
    const { remoteKey } = rotation;
    const pipe = `npx mastodon-cdk8s secrets rotate ${name} --instance ${loaded.id} --force | vault kv patch ${remoteKey} -`;
    printSecretValues(loaded, `${JSON.stringify(fresh)}\n`, pipe);
    // An ExternalSecret that also generates keys refreshes once (CreatedOnce, lib/constructs/secrets/external-secret.ts):
    // ESO never reads the store for it again until its Secret is made anew, which generates those keys anew too.
    const generated = secret.keys.filter((k) => k.generatedInCluster !== undefined).map((k) => k.key);
    const reaches = generated.length === 0
      ? 'ESO reads them within refreshInterval.'
      : `The ExternalSecret ${secret.name} refreshes once, because it also generates ${generated.join(', ')}: ESO does not read the store for it again. `
        + `To apply the new values, delete the Secret (kubectl -n ${secret.namespace} delete secret ${secret.name}); ESO makes it again from the store `
        + `and generates new ${generated.join(', ')}${generated.includes('SECRET_KEY_BASE') ? ', which signs everyone out' : ''}.`;
    process.stderr.write(`${note}\nwrite them to the store at ${remoteKey} (properties ${keys.join(', ')}), e.g.\n  ${pipe}\n${reaches}\n`);
    return;
  }
  // manual: a merge patch of just these keys (stringData is written into data by the API server).
  const pipe = `npx mastodon-cdk8s secrets rotate ${name} --instance ${loaded.id} --force | kubectl -n ${secret.namespace} patch secret ${secret.name} --type merge --patch-file /dev/stdin`;
  printSecretValues(loaded, `${JSON.stringify({ stringData: fresh })}\n`, pipe);
  process.stderr.write(`${note}\npatch the Secret with them:\n  ${pipe}\n`);
}

/** `mastodon-cdk8s secrets rotate <name>`. */
export function rotateCommand(parent: Command): void {
  parent.command('rotate')
    .description('replace one secret with a new value, saying first what that costs: SECRET_KEY_BASE (everyone signed out), VAPID (push subscriptions invalidated), '
      + 'a Dragonfly password (a short Redis outage); refuses ACTIVE_RECORD_ENCRYPTION_*, OTP_SECRET and the backup encryption, which lose data. '
      + 'Seals the new value (sealed-secrets), or prints it for kubectl (manual) or the store (external-secrets)')
    .argument('<name>', 'an environment variable (SECRET_KEY_BASE, VAPID_PRIVATE_KEY, REDIS_PASSWORD…) or <Secret>/<key>')
    .option('-i, --instance <id>', 'the instance (config/<id>/); default: the only one')
    .option('-c, --config <dir>', 'the instance folder, instead of --instance')
    .option('--cert <pem>', "sealed-secrets: the controller's certificate; default: config/<instance>/sealed-secrets.pem")
    .option('--force', 'go on with a rotation whose cost was shown')
    .option('--accept-data-loss', 'replace a key whose old value protects data (shows what is lost)')
    .action((name: string, opts: RotateOptions) => {
      try {
        rotate(name, opts);
      } catch (e) {
        if (e instanceof SealError) throw new FileError(`secrets rotate ${name}`, e.message);
        throw e;
      }
    });
}
