import * as fs from 'node:fs';
import * as path from 'node:path';
import { RenderedTree } from './render';

/**
 * Replaces directories under `outDir` with freshly rendered content, never leaving a half-written
 * tree: everything is written to a temporary sibling first, then swapped in with renames. Files
 * that are no longer rendered disappear (Argo CD would otherwise keep applying them).
 *
 * @param scope the top-level entries of `outDir` this render owns: with `'all'` the whole of
 *   `outDir` is replaced (stale instances go too); with a list of instance ids, only those.
 */
export function writeTree(outDir: string, files: RenderedTree, scope: 'all' | readonly string[]): void {
  const parent = path.dirname(path.resolve(outDir));
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.dist-${path.basename(outDir)}-`));
  try {
    const dirs = new Set<string>();
    for (const [file, content] of files) {
      const target = path.join(staging, file);
      const dir = path.dirname(target);
      if (!dirs.has(dir)) fs.mkdirSync(dir, { recursive: true });
      dirs.add(dir);
      fs.writeFileSync(target, content);
    }
    if (scope === 'all') {
      swap(staging, path.resolve(outDir));
    } else {
      fs.mkdirSync(outDir, { recursive: true });
      for (const id of scope) swap(path.join(staging, id), path.join(outDir, id));
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Moves `from` to `to`, replacing whatever was at `to`. */
function swap(from: string, to: string): void {
  const old = `${to}.old-${process.pid}`;
  const hadOld = fs.existsSync(to);
  if (hadOld) fs.renameSync(to, old);
  if (fs.existsSync(from)) fs.renameSync(from, to);
  if (hadOld) fs.rmSync(old, { recursive: true, force: true });
}
