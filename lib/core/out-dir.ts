import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorCode, FileError, fileErrorOf } from './file-error';
import { kindOf } from './read';

/** A folder that an output folder must never be, contain or (with `noneInside`) be inside of. */
export interface GuardedFolder {
  readonly path: string;
  /** For messages: `the configuration folder config`, `the instance folder config/example`. */
  readonly what: string;
  /** Whether the output may not be inside it either (true for configuration folders). */
  readonly noneInside: boolean;
}

/**
 * Checks an output folder before anything is rendered into it: it must be a folder or not exist
 * yet (below folders), and, compared by real path (so a symbolic link cannot sneak around it), it
 * may not be or contain any guarded folder, nor be inside one that says `noneInside`. Synth
 * replaces the instance folders it renders in the output, so `--out config` would replace
 * `config/<instance>/` (instance.yaml included) with rendered files.
 */
export function checkOutDir(outDir: string, guarded: readonly GuardedFolder[]): void {
  const flag = `--out ${outDir}`;
  const out = realPathOf(outDir, flag);
  const reals = realPathsIfExist(guarded.map((g) => g.path));
  const folders = guarded.flatMap((g, i) => {
    const real = reals[i];
    return real === undefined ? [] : [{ guarded: g, real }];
  });
  // The most telling rule first: the folder it is, then the closest one it is inside of.
  const same = folders.find((g) => g.real === out);
  if (same) throw new FileError(flag, `is ${same.guarded.what}; the output must be a folder of its own, such as dist`);
  const around = folders.filter((g) => g.guarded.noneInside && isInside(out, g.real)).sort((a, b) => b.real.length - a.real.length)[0];
  if (around) throw new FileError(flag, `is inside ${around.guarded.what}; the output must be a folder of its own, such as dist`);
  const within = folders.find((g) => isInside(g.real, out));
  if (within) throw new FileError(flag, `contains ${within.guarded.what} (synth replaces the folders it renders in the output); the output must be a folder of its own, such as dist`);
}

/**
 * Whether `inner` is strictly below `outer` (both absolute, real, so normal). A prefix test, not
 * path.relative: a thousand instances' folders are thousands of tests, and `..x` is a name like another.
 */
function isInside(inner: string, outer: string): boolean {
  return inner.length > outer.length && inner.startsWith(outer.endsWith(path.sep) ? outer : `${outer}${path.sep}`);
}

/**
 * The real path `dir` has or would have once created: the real path of its deepest existing
 * ancestor plus the rest. Whatever exists on the way must be a folder.
 */
function realPathOf(dir: string, flag: string): string {
  const absolute = path.resolve(dir);
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(existing);
    } catch (e) {
      const code = errorCode(e);
      if (code === 'ELOOP') throw new FileError(flag, `${describe(firstLoop(existing), dir)}is a symbolic link loop (a link that leads back to itself)`);
      // ENOTDIR: a file on the way, found as a non-folder further up.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw fileErrorOf(e, flag);
      if (code === 'ENOENT' && isLink(existing)) throw new FileError(flag, `${describe(existing, dir)}is a symbolic link to ${fs.readlinkSync(existing)}, which does not exist`);
    }
    if (stat) {
      if (!stat.isDirectory()) throw new FileError(flag, `${describe(existing, dir)}is ${kindOf(stat)}, not a folder; the output must be a folder`);
      return path.join(fs.realpathSync(existing), ...missing.reverse());
    }
    missing.push(path.basename(existing));
    existing = path.dirname(existing);
  }
}

/** The subject of a message about `part` of the output path: nothing for the output itself. */
function describe(part: string, dir: string): string {
  return part === path.resolve(dir) ? '' : `${path.relative(process.cwd(), part) || '.'} `;
}

/** The first part of `file` (an absolute path) that is a symbolic link loop. */
function firstLoop(file: string): string {
  const parts = file.split(path.sep);
  for (let i = 2; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join(path.sep) || path.sep;
    try {
      fs.statSync(prefix);
    } catch (e) {
      if (errorCode(e) === 'ELOOP') return prefix;
    }
  }
  return file;
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The real path of each of `dirs` that exists. A thousand instance folders share one parent: its
 * real path is taken once, and a folder that is not a symbolic link is at that path plus its name
 * (one lstat instead of a realpath's walk). A path with a `..` in it is resolved whole: `link/..`
 * is the parent of the link's target, not the folder the link is in.
 */
function realPathsIfExist(dirs: readonly string[]): (string | undefined)[] {
  const parents = new Map<string, string | undefined>();
  return dirs.map((dir) => {
    const absolute = path.resolve(dir);
    const parent = path.dirname(absolute);
    if (parent === absolute || dir.split(/[\\/]/).includes('..')) return realPathIfExists(dir);
    if (!parents.has(parent)) parents.set(parent, realPathIfExists(parent));
    const realParent = parents.get(parent);
    if (realParent === undefined) return undefined;
    try {
      const stat = fs.lstatSync(absolute, { throwIfNoEntry: false });
      if (stat === undefined) return undefined;
      return stat.isSymbolicLink() ? realPathIfExists(absolute) : path.join(realParent, path.basename(absolute));
    } catch {
      return undefined;
    }
  });
}

function realPathIfExists(dir: string): string | undefined {
  try {
    return fs.realpathSync(dir);
  } catch {
    return undefined;
  }
}
