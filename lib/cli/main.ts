import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { collectProblems, ConfigError, formatProblem } from '../config/errors';
import { SharedDefaults } from '../config/defaults';
import { findInstanceDirs, loadInstance } from '../config/load';
import { renderAll } from '../render/render';
import { writeTree } from '../render/write';

const DEFAULT_CONFIG_ROOT = 'config';
const DEFAULT_OUT = 'dist';

interface SynthOptions {
  readonly config?: string[];
  readonly out: string;
}

/**
 * Loads the selected instance folders (default: every `config/*` with an instance.yaml). Each
 * instance is checked on its own and the problems of all of them are reported together.
 */
function loadSelected(configDirs: readonly string[] | undefined) {
  const dirs = configDirs?.length ? configDirs : findInstanceDirs(DEFAULT_CONFIG_ROOT);
  if (dirs.length === 0) throw new ConfigError([{ file: DEFAULT_CONFIG_ROOT, line: 1, col: 1, path: '', message: 'no instance found; expected config/<instance>/instance.yaml' }]);
  const defaults = new SharedDefaults();
  return collectProblems(dirs, (dir) => loadInstance(dir, defaults));
}

function synth(options: SynthOptions): void {
  const instances = loadSelected(options.config);
  const { files, warnings } = renderAll(instances);
  for (const w of warnings) process.stderr.write(`warning: ${formatProblem(w)}\n`);
  writeTree(options.out, files, options.config?.length ? instances.map((i) => i.id) : 'all');
  const ids = instances.map((i) => i.id).join(', ');
  process.stdout.write(`rendered ${files.size} files for ${ids} into ${path.normalize(options.out)}/\n`);
}

function program(): Command {
  const cli = new Command('mastodon-cdk8s')
    .description('Render Mastodon instances on Kubernetes from config/<instance>/ into dist/')
    .exitOverride()
    .showHelpAfterError();
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  cli.command('synth')
    .description('render every config/<instance>/ (or those given) into <out>/<instance>/')
    .option('-c, --config <dir>', 'an instance folder (repeatable); default: every config/*/', collect)
    .option('-o, --out <dir>', 'output directory', DEFAULT_OUT)
    .action((opts: SynthOptions) => synth(opts));
  return cli;
}

/** Runs the CLI; resolves to the process exit code. Bad input prints its problems, never a stack. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`error: ${e.problems.length === 1 ? 'invalid configuration' : `${e.problems.length} problems in the configuration`}\n${e.message}\n`);
      return 1;
    }
    if (e instanceof CommanderError) return e.exitCode;
    throw e;
  }
}
