import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RenderedTree } from '../core/tree';

/** Input the diff cannot read: an unreadable tree, a missing git revision, git itself failing. */
export class DiffInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiffInputError';
  }
}

/**
 * Every file under `dir` by path relative to it (`/`-separated); empty when `dir` does not exist;
 * DiffInputError when it cannot be read. Top-level folders in `skip` are left out.
 */
export function readDirTree(dir: string, skip: ReadonlySet<string> = new Set()): RenderedTree {
  const tree: RenderedTree = new Map();
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (!sub && skip.has(entry.name)) continue;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) tree.set(rel, fs.readFileSync(path.join(dir, rel), 'utf8'));
    }
  };
  try {
    if (fs.existsSync(dir)) walk('');
  } catch (e) {
    // A folder or file that cannot be read (permissions, a file where a folder should be) is an input error.
    throw new DiffInputError(`cannot read ${dir}: ${(e as Error).message}`);
  }
  return tree;
}

/**
 * Every file under `dir` as committed at `ref` (`main`, `origin/main`, a commit), read with git
 * from the repository around the current directory; empty when `dir` did not exist at `ref`.
 */
export function readGitTree(ref: string, dir: string): RenderedTree {
  const prefix = path.relative(gitTop(), path.resolve(fs.realpathSync(process.cwd()), dir)).split(path.sep).join('/');
  // -z: NUL-separated records `<mode> <type> <object>\t<path>`, paths relative to the top.
  const listing = git(['ls-tree', '-r', '-z', '--full-tree', verifiedCommit(ref), '--', prefix]).toString('utf8');
  const blobs = listing.split('\0').filter(Boolean).map((record) => {
    const tab = record.indexOf('\t');
    const [, type, object] = record.slice(0, tab).split(' ');
    return { type, object, file: record.slice(tab + 1 + prefix.length + 1) };
  }).filter((b) => b.type === 'blob');
  const contents = catBlobs(blobs.map((b) => b.object));
  return new Map(blobs.map((b, i) => [b.file, contents[i]]));
}

function gitTop(): string {
  return git(['rev-parse', '--show-toplevel']).toString('utf8').trim();
}

function verifiedCommit(ref: string): string {
  if (ref.startsWith('-')) throw new DiffInputError(`--base ${ref}: not a git revision`);
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8').trim();
  } catch {
    throw new DiffInputError(`--base ${ref}: not a commit in this repository (fetch it first, e.g. git fetch origin ${ref.replace(/^origin\//, '')})`);
  }
}

/** The contents of several blobs through one `git cat-file --batch`. */
function catBlobs(objects: readonly string[]): string[] {
  if (objects.length === 0) return [];
  const out = git(['cat-file', '--batch'], `${objects.join('\n')}\n`);
  const contents: string[] = [];
  let at = 0;
  for (const object of objects) {
    // Each entry: "<object> blob <size>\n<content>\n".
    const headerEnd = out.indexOf(0x0a, at);
    const size = Number(out.subarray(at, headerEnd).toString('utf8').split(' ')[2]);
    if (!Number.isInteger(size)) throw new DiffInputError(`git cat-file: unexpected output for ${object}`);
    contents.push(out.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
    at = headerEnd + 1 + size + 1;
  }
  return contents;
}

function git(args: readonly string[], input?: string): Buffer {
  try {
    return execFileSync('git', [...args], { input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString('utf8').trim();
    throw new DiffInputError(`git ${args[0]} failed${stderr ? `: ${stderr}` : ''}`);
  }
}
