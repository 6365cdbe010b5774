import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadInstance } from '../app/load';
import { renderRestoreJob } from '../app/restore';
import { SharedDefaults } from '../config/shared-defaults';
import { formatProblem } from '../core/errors';
import { FileError } from '../core/file-error';
import { isWithin, realPathOrPlanned } from '../core/repository';

const DEFAULT_CONFIG_ROOT = 'config';
const DEFAULT_DIST = 'dist';

interface RestoreOptions {
  readonly instance?: string;
  readonly config?: string;
  readonly from: string;
  readonly into?: string;
  readonly clean?: boolean;
  readonly jobs?: number;
  readonly out?: string;
}

function restore(options: RestoreOptions): void {
  const dir = options.config ?? (options.instance ? path.join(DEFAULT_CONFIG_ROOT, options.instance) : undefined);
  if (!dir) throw new FileError('--instance', 'is missing: name the instance (its config/<instance>/ folder)');
  if (!fs.existsSync(path.join(dir, 'instance.yaml'))) throw new FileError(dir, 'has no instance.yaml; expected config/<instance>/instance.yaml');
  const loaded = loadInstance(dir, new SharedDefaults());
  for (const w of loaded.warnings) process.stderr.write(`warning: ${formatProblem(w)}\n`);
  const yaml = renderRestoreJob(loaded, { from: options.from, into: options.into, clean: options.clean, jobs: options.jobs });
  if (!options.out) {
    process.stdout.write(yaml);
    return;
  }
  if (isWithin(realPathOrPlanned(options.out), realPathOrPlanned(DEFAULT_DIST))) {
    throw new FileError(options.out, `is inside ${DEFAULT_DIST}/: Argo CD would apply the restore at the next sync; write it elsewhere and apply it by hand`);
  }
  fs.writeFileSync(options.out, yaml);
  process.stderr.write(`wrote ${options.out}: apply it with kubectl apply -f ${options.out}\n`);
}

/** `mastodon-cdk8s restore`: a one-off restore Job, printed (or written) and applied by hand. */
export function restoreCommand(): Command {
  return new Command('restore')
    .description('print a one-off Job that restores a database dump from the backup vault (README, "Restore"); apply it with kubectl, never through dist/')
    .option('-i, --instance <id>', 'the instance (config/<id>/)')
    .option('-c, --config <dir>', 'the instance folder, instead of --instance')
    .requiredOption('-f, --from <dump>', 'the dump, as `rclone lsf vault:database` lists it, e.g. example-20261122T060000Z.dump')
    .option('--into <database>', 'a database of the instance\'s cluster to restore into (empty, or with --clean); default: a throwaway PostgreSQL in the pod, which only proves the dump')
    .option('--clean', 'restore over the tables of --into (pg_restore --clean --if-exists)')
    .option('-j, --jobs <n>', 'pg_restore --jobs', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
      return n;
    })
    .option('-o, --out <file>', 'write the Job to this file (not inside dist/) instead of standard output')
    .action((opts: RestoreOptions) => restore(opts));
}
