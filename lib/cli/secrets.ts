import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import { appSecretName, appSecretsToBring, envBlock, jsonBlock } from '../app/generate-secrets';
import { FileError } from '../core/file-error';
import { rotateCommand } from './rotate';
import { sealCommand } from './seal';
import { loadOne, printSecretValues, refuseInside, repositories, secretsIo } from './secrets-common';

export { secretsIo };

interface GenerateOptions {
  readonly config?: string;
  readonly out?: string;
  readonly format: 'env' | 'json';
}

function generate(options: GenerateOptions): void {
  const loaded = loadOne(options.config);
  const roots = repositories(loaded);
  const values = appSecretsToBring(loaded);
  const block = options.format === 'json' ? jsonBlock(values) : envBlock(values);
  const namespace = loaded.instance.namespace;
  const secret = appSecretName(loaded);
  if (options.out !== undefined) {
    refuseInside(options.out, `--out ${options.out}`, roots);
    // `wx`: never over an existing file (it may be someone's other secrets); 0600 from the start.
    try {
      fs.writeFileSync(options.out, block, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new FileError(`--out ${options.out}`, code === 'EEXIST' ? 'already exists; choose a new file' : `cannot be written (${code ?? String(e)})`);
    }
    process.stderr.write(`wrote ${values.length} keys (${values.map(([name]) => name).join(', ')}) to ${options.out} (mode 0600)\n`
      + (options.format === 'json'
        ? 'put it into the secret store under the remote key dist/<instance>/SECRETS.md names, then delete the file\n'
        : `create the Secret with: kubectl -n ${namespace} create secret generic ${secret} --from-env-file=${options.out}\n`));
    return;
  }
  const pipe = `npx mastodon-cdk8s secrets generate --config ${loaded.dir} | kubectl -n ${namespace} create secret generic ${secret} --from-env-file=/dev/stdin`;
  printSecretValues(loaded, block, pipe, '\nor write them to a new file with --out');
}

/** `mastodon-cdk8s secrets …` */
export function secretsCommand(): Command {
  // exitOverride before the subcommands, which inherit it: a usage error returns, never exits the process.
  const secrets = new Command('secrets').exitOverride().description("Mastodon's application secrets, and the instance's Secrets sealed for the cluster");
  secrets.command('generate')
    .description("print fresh values for every application secret the instance's Mastodon version reads (SECRET_KEY_BASE, VAPID_*, ACTIVE_RECORD_ENCRYPTION_*, OTP_SECRET on 4.3), as NAME=value lines or JSON; under secrets.delivery external-secrets without SECRET_KEY_BASE, which the cluster generates")
    .option('-c, --config <dir>', 'the instance folder; default: the only config/*/')
    .option('-o, --out <file>', 'write them to a new file (mode 0600) instead of standard output; refused inside a git repository')
    .addOption(new Option('-f, --format <format>', 'env: NAME=value lines (kubectl --from-env-file); json: one object, as a secret store\'s CLI reads it').choices(['env', 'json']).default('env'))
    .addHelpText('after', '\nExample (the values never touch the disk):\n'
      + '  npx mastodon-cdk8s secrets generate --config config/example \\\n'
      + '    | kubectl -n mastodon create secret generic mastodon-secrets --from-env-file=/dev/stdin\n'
      + 'Into a secret store (secrets.delivery external-secrets; the remote key is in dist/<instance>/SECRETS.md):\n'
      + '  npx mastodon-cdk8s secrets generate --config config/example --format json \\\n'
      + '    | vault kv put -mount=secret mastodon-cdk8s/example/mastodon-secrets -\n'
      + 'Generate them once per instance: new ACTIVE_RECORD_ENCRYPTION_* keys make encrypted data unreadable.\n')
    .action((opts: GenerateOptions) => generate(opts));
  sealCommand(secrets);
  rotateCommand(secrets);
  return secrets;
}
