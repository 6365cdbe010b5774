import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadInstance } from '../app/load';
import { findInstanceDirs } from '../config/load';
import { SharedDefaults } from '../config/shared-defaults';
import { LoadedInstance } from '../config/types';
import { ConfigError, formatProblem } from '../core/errors';
import { FileError } from '../core/file-error';
import { isWithin, realPathOrPlanned, repositoryRootOf, stdoutFile } from '../core/repository';

// What the `secrets` commands share: choosing the instance, and keeping plaintext out of repositories.

export const DEFAULT_CONFIG_ROOT = 'config';

/** What the commands read from the process (standard output's file, standard input, the clock); replaced by tests. */
export const secretsIo = {
  stdoutFile,
  stdinIsTerminal: (): boolean => process.stdin.isTTY === true,
  readStdin: (): string => fs.readFileSync(0, 'utf8'),
  now: (): Date => new Date(),
};

/** The one instance: `--config <dir>`, `--instance <id>` (config/<id>), or the only `config/<instance>/`. */
export function loadOne(configDir: string | undefined, instanceId?: string): LoadedInstance {
  const chosen = configDir ?? (instanceId !== undefined ? path.join(DEFAULT_CONFIG_ROOT, instanceId) : undefined);
  const dirs = chosen ? [chosen] : findInstanceDirs(DEFAULT_CONFIG_ROOT);
  if (dirs.length !== 1) {
    const message = dirs.length === 0
      ? 'no instance found; expected config/<instance>/instance.yaml'
      : `${dirs.length} instances found (${dirs.map((d) => path.basename(d)).join(', ')}); choose one with --config config/<instance>`;
    throw new ConfigError([{ file: DEFAULT_CONFIG_ROOT, line: 1, col: 1, path: '', message }]);
  }
  const loaded = loadInstance(dirs[0], new SharedDefaults());
  for (const w of loaded.warnings) process.stderr.write(`warning: ${formatProblem(w)}\n`);
  return loaded;
}

/**
 * The git work trees plaintext must never be written into: the one the command runs in and the
 * one holding the instance's configuration.
 */
export function repositories(loaded: LoadedInstance): string[] {
  return [...new Set([repositoryRootOf(process.cwd()), repositoryRootOf(loaded.dir)].filter((r): r is string => r !== undefined))];
}

export function refuseInside(target: string, flag: string, roots: readonly string[]): void {
  const real = realPathOrPlanned(target);
  const root = roots.find((r) => isWithin(real, r));
  if (root) {
    throw new FileError(flag, `is inside the git repository ${root}: secret values must never be written into a repository; `
      + 'pipe them (see `secrets generate --help`) or write them outside it');
  }
}


/**
 * Writes secret values to standard output, never to a terminal (its scrollback keeps them, and a
 * recorded session its log) nor to a file inside a repository; `pipe` is the command to suggest.
 */
export function printSecretValues(loaded: LoadedInstance, text: string, pipe: string, alternative = ''): void {
  if (process.stdout.isTTY) throw new FileError('standard output', `is a terminal, which would keep the secrets in its scrollback; pipe them instead, e.g.\n  ${pipe}${alternative}`);
  const redirected = secretsIo.stdoutFile();
  if (redirected !== undefined) refuseInside(redirected, `standard output (${redirected})`, repositories(loaded));
  process.stdout.write(text);
}
