import * as fs from 'node:fs';
import * as path from 'node:path';

/** The real path `file` has or would have once created: its deepest existing ancestor's real path plus the rest. */
export function realPathOrPlanned(file: string): string {
  const absolute = path.resolve(file);
  const rest: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      return path.join(fs.realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return absolute;
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}

/**
 * The top folder of the git work tree holding `dir` (real path): the nearest folder, `dir` itself
 * or above, that has a `.git` entry (a folder, or the file of a linked work tree or submodule).
 */
export function repositoryRootOf(dir: string): string | undefined {
  let current = realPathOrPlanned(dir);
  for (;;) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Whether `inner` is `outer` or below it (both absolute). */
export function isWithin(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The file standard output is written to, when it is a regular file (`> file`), read from
 * /proc/self/fd/1 on Linux; undefined for a terminal or a pipe, or where that cannot be known.
 */
export function stdoutFile(): string | undefined {
  try {
    if (!fs.fstatSync(1).isFile()) return undefined;
    return fs.readlinkSync('/proc/self/fd/1');
  } catch {
    return undefined;
  }
}
