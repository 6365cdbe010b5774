import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { keyGenerators, neededSecrets, parseValues, planSeal, SealError, sealedFileOf, sealedSecretFileText, sealerFor, SealPlan } from '../app/seal';
import { sealingKeyOf, SealingCertError } from '../catalog/sealed-secrets';
import { readSealedSecrets } from '../config/sealed-secrets';
import { LoadedInstance } from '../config/types';
import { FileError } from '../core/file-error';
import { readInputFile } from '../core/read';
import { loadOne, refuseInside, repositories, secretsIo } from './secrets-common';

export interface SealOptions {
  readonly config?: string;
  readonly instance?: string;
  readonly cert?: string;
  readonly secret?: string;
  readonly fromFile?: string;
}

/** The controller's certificate, committed beside instance.yaml (public: it only encrypts). */
export const CERT_FILE = 'sealed-secrets.pem';

/** How to run the command for this instance (in messages). */
export function sealCommandLine(loaded: LoadedInstance, rest = ''): string {
  return `npx mastodon-cdk8s secrets seal --instance ${loaded.id}${rest}`;
}

/** The controller's public key, refused as kubeseal refuses it. */
export function sealingKey(loaded: LoadedInstance, certOption: string | undefined) {
  const cert = certOption ?? path.join(loaded.dir, CERT_FILE);
  let pem: string;
  try {
    pem = readInputFile(cert);
  } catch (e) {
    if (e instanceof FileError && certOption === undefined) {
      throw new FileError(cert, `${e.reason}; fetch the controller's certificate with \`kubeseal --fetch-cert > ${cert}\` and commit it, or pass --cert`);
    }
    throw e;
  }
  try {
    return sealingKeyOf(pem, secretsIo.now());
  } catch (e) {
    if (e instanceof SealingCertError) throw new FileError(cert, e.message);
    throw e;
  }
}

/** The values the person gives: from `--from-file` (outside any repository), else piped standard input, else none. */
function givenValues(loaded: LoadedInstance, options: SealOptions): ReadonlyMap<string, string> {
  if (options.fromFile !== undefined) {
    refuseInside(options.fromFile, `--from-file ${options.fromFile}`, repositories(loaded));
    return parseValues(readInputFile(options.fromFile), `--from-file ${options.fromFile}`, options.secret);
  }
  if (secretsIo.stdinIsTerminal()) return new Map();
  return parseValues(secretsIo.readStdin(), 'standard input', options.secret);
}

/** Writes a sealed file whole or not at all (a new file renamed over the old). */
export function writeSealedFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

/** What was sealed and what is still missing, by Secret and key name only. */
function report(loaded: LoadedInstance, plan: SealPlan): string {
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  const lines = plan.updates.map((u) => `sealed ${shown(sealedFileOf(loaded, u))}: ${u.changed.map((c) => `${c.key} (${c.how})`).join(', ')}`);
  if (plan.updates.length === 0) lines.push('nothing to seal: every key mastodon-cdk8s can make is sealed and no value was given');
  if (plan.missing.length > 0) {
    lines.push('still missing (values only their provider has); seal each Secret from an env file outside the repository, one key=value per line:');
    for (const m of plan.missing) {
      lines.push(`  ${m.namespace}/${m.name}: ${m.keys.join(', ')}`);
      lines.push(`    ${sealCommandLine(loaded, ` --secret ${m.name} --from-file ~/.secrets/${loaded.id}/${m.name}.env`)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function seal(options: SealOptions): void {
  const loaded = loadOne(options.config, options.instance);
  const { key } = sealingKey(loaded, options.cert);
  const needed = neededSecrets(loaded);
  if (options.secret !== undefined && !needed.some((s) => s.name === options.secret)) {
    throw new FileError(`--secret ${options.secret}`, `is not a Secret the instance reads; one of: ${[...new Set(needed.map((s) => s.name))].join(', ')}`);
  }
  const plan = planSeal({
    needed,
    committed: readSealedSecrets(loaded.dir),
    given: givenValues(loaded, options),
    generators: keyGenerators(loaded),
    instanceNamespace: loaded.instance.namespace,
    seal: sealerFor(key),
  });
  for (const update of plan.updates) writeSealedFile(sealedFileOf(loaded, update), sealedSecretFileText(update));
  process.stderr.write(report(loaded, plan));
}

/** `mastodon-cdk8s secrets seal`. */
export function sealCommand(parent: Command): void {
  parent.command('seal')
    .description("seal the instance's Secrets for its Sealed Secrets controller into config/<instance>/sealed/<namespace>/<Secret>.yaml (strict scope): "
      + 'generates what mastodon-cdk8s can make (Mastodon\'s application secrets, Dragonfly passwords) when not sealed yet, '
      + 'and seals the values you give on standard input or in an env file; committed keys stay as they are')
    .option('-i, --instance <id>', 'the instance (config/<id>/); default: the only one')
    .option('-c, --config <dir>', 'the instance folder, instead of --instance')
    .option('--cert <pem>', `the controller's certificate (\`kubeseal --fetch-cert\`); default: config/<instance>/${CERT_FILE}`)
    .option('--secret <name>', 'the values given are keys of this Secret (key=value); without it, each line is <Secret>/<key>=value')
    .option('--from-file <env file>', 'read the values from this file (outside any git repository) instead of standard input')
    .addHelpText('after', '\nValues are never taken from the command line (shell history, `ps`) and never printed.\n'
      + 'Examples:\n'
      + '  kubeseal --fetch-cert > config/example/sealed-secrets.pem\n'
      + '  npx mastodon-cdk8s secrets seal --instance example          # Mastodon\'s keys and the Dragonfly password\n'
      + '  npx mastodon-cdk8s secrets seal --instance example --secret ses-smtp --from-file ~/.secrets/example/ses-smtp.env\n')
    .action((opts: SealOptions) => {
      try {
        seal(opts);
      } catch (e) {
        // A SealError names Secrets, keys and lines, never a value.
        if (e instanceof SealError) throw new FileError('secrets seal', e.message);
        throw e;
      }
    });
}
