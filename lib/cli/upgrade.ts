import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadInstance } from '../app/load';
import { InstanceUpgrade, planUpgrade, sharedVersionBystanders, targetProblem, VERSION_PATH } from '../app/upgrade';
import { findInstanceDirs } from '../config/load';
import { SharedDefaults } from '../config/shared-defaults';
import { collectProblems, ConfigError, ConfigProblem, formatProblem } from '../core/errors';
import { replaceFile } from '../core/replace-file';

const DEFAULT_CONFIG_ROOT = 'config';

interface UpgradeOptions {
  readonly config?: string[];
  readonly instance?: string[];
  readonly dryRun?: boolean;
}

/** The instance folders to upgrade: those given by folder or by id, else every one under config/. */
function selectDirs(options: UpgradeOptions): string[] {
  const folders = options.config ?? [];
  const ids = options.instance ?? [];
  if (folders.length === 0 && ids.length === 0) return findInstanceDirs(DEFAULT_CONFIG_ROOT);
  if (ids.length === 0) return folders;
  const all = findInstanceDirs(DEFAULT_CONFIG_ROOT);
  const missing = ids.filter((id) => !all.some((dir) => path.basename(dir) === id));
  if (missing.length > 0) {
    throw new ConfigError(missing.map((id) => ({
      file: DEFAULT_CONFIG_ROOT, line: 1, col: 1, path: '',
      message: `--instance ${id}: no such instance; allowed: ${all.map((d) => path.basename(d)).join(', ') || `none (no ${DEFAULT_CONFIG_ROOT}/<instance>/instance.yaml)`}`,
    })));
  }
  return [...folders, ...all.filter((dir) => ids.includes(path.basename(dir)))];
}

function report(u: InstanceUpgrade): string {
  if (u.from === u.to) return `${u.id}: already on Mastodon ${u.to} (${u.file}); nothing to do\n`;
  // A refused downgrade has nothing to show but its error.
  if (u.changes.length === 0) return '';
  const list = (title: string, items: readonly string[], numbered = false) => (items.length === 0 ? '' : `  ${title}:\n${items.map((item, i) => `    ${numbered ? `${i + 1}.` : '-'} ${item}\n`).join('')}`);
  return `${u.id}: Mastodon ${u.from} → ${u.to} (${u.file}${u.shared ? ', the shared defaults' : ''})\n`
    + list('What changes', u.changes)
    + list('Warnings', u.warnings.map(formatProblem))
    + list('What you do', u.actions, true);
}

/**
 * `upgrade <version>`: checks every selected instance against the target release and writes the
 * new `mastodon.version` only when all of them can take it, each file once (the shared defaults
 * file may set it for several instances).
 */
function upgrade(target: string, options: UpgradeOptions): void {
  const dirs = selectDirs(options);
  if (dirs.length === 0) throw new ConfigError([{ file: DEFAULT_CONFIG_ROOT, line: 1, col: 1, path: '', message: 'no instance found; expected config/<instance>/instance.yaml' }]);
  const defaults = new SharedDefaults();
  const plans = collectProblems(dirs, (dir) => ({ dir, plan: planUpgrade(loadInstance(dir, defaults), target) }));
  for (const { plan } of plans) process.stdout.write(report(plan));

  const errors: ConfigProblem[] = plans.flatMap(({ plan }) => plan.errors);
  // A shared defaults file that sets the version upgrades every instance beside it that does not set its own.
  const sharedFiles = new Map(plans.filter(({ plan }) => plan.shared && plan.text !== undefined).map(({ dir, plan }) => [plan.file, path.dirname(path.resolve(dir))]));
  for (const [file, root] of sharedFiles) {
    const upgrading = plans.filter(({ dir }) => path.dirname(path.resolve(dir)) === root).map(({ plan }) => plan.id);
    const bystanders = sharedVersionBystanders(findInstanceDirs(root), upgrading);
    if (bystanders.length > 0) {
      errors.push({
        file, line: 1, col: 1, path: VERSION_PATH.join('.'),
        message: `this file sets the version of ${bystanders.join(', ')} too; upgrade them together (leave out --instance, or name them all), or set mastodon.version in each instance's own instance.yaml`,
      });
    }
  }
  if (errors.length > 0) throw new ConfigError(errors);

  const writes = new Map(plans.filter(({ plan }) => plan.text !== undefined).map(({ plan }) => [plan.file, plan.text as string]));
  if (writes.size === 0) return;
  const files = [...writes.keys()].join(', ');
  if (options.dryRun) {
    process.stdout.write(`dry run: would set mastodon.version to ${target} in ${files}\n`);
    return;
  }
  for (const [file, text] of writes) replaceFile(file, text);
  process.stdout.write(`set mastodon.version to ${target} in ${files}; next: npm run synth, then review npx mastodon-cdk8s diff\n`);
}

export function upgradeCommand(): Command {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  return new Command('upgrade')
    .description("check the instances against a Mastodon release (new queues, secrets, removed settings, end of life), print what changes and what to do, and write the new mastodon.version into instance.yaml (comments and formatting kept)")
    .argument('<version>', 'the release tag, e.g. v4.7.3', (value: string) => {
      const problem = targetProblem(value);
      if (problem) throw new InvalidArgumentError(problem);
      return value;
    })
    .option('-i, --instance <id>', 'an instance under config/ (repeatable); default: every one', collect)
    .option('-c, --config <dir>', 'an instance folder (repeatable)', collect)
    .option('-n, --dry-run', 'check and print, write nothing')
    .action((version: string, opts: UpgradeOptions) => upgrade(version, opts));
}
