import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLUSTERS_FOLDER, configRootOf } from '../config/clusters';
import { INSTANCE_FILE, QUEUE_PLAN_FILE } from '../config/load';
import { SEALED_FOLDER } from '../config/sealed-secrets';
import { DEFAULTS_FOLDER } from '../config/shared-defaults';
import { entryExists, readInputBytes } from '../core/read';

/**
 * A content hash of every file an instance's load and render read, taken from their bytes without
 * parsing them, so that the render cache (./render-cache.ts) finds an instance's render before
 * loading it: the instance's `instance.yaml` and `queue-plan.yaml`, its `sealed/` folder, and the
 * files of its config root that every instance there shares (`defaults/`, and every cluster file,
 * since they decide who installs the operators). Each file's name counts with its bytes, and so do
 * the folder as given and the folder the command runs in (messages show paths relative to it).
 * test/fuzz/render-cache.test.ts holds this list to what loading and rendering really read.
 *
 * A file that cannot be read, or is not a plain file or folder where one is expected, gives no key:
 * the instance is then loaded, which reports it.
 */
export class RenderInputs {
  /** The hash of the shared files and which they are, per config root. */
  private readonly roots = new Map<string, { readonly hash: string; readonly files: readonly string[] } | undefined>();

  /** The files read for the last key, for the test that holds this list to the loader's reads. */
  public lastFiles: readonly string[] = [];

  /** The hash of what the render of the instance folder `dir` reads; undefined when something cannot be read. */
  public hash(dir: string): string | undefined {
    try {
      const files: string[] = [];
      const hash = crypto.createHash('sha256');
      const add = lengthPrefixed(hash);
      add(process.cwd());
      add(dir);
      const root = configRootOf(dir);
      const shared = this.shared(root);
      if (shared === undefined) return undefined;
      add(shared.hash);
      for (const file of [INSTANCE_FILE, QUEUE_PLAN_FILE]) addFile(add, path.join(dir, file), files);
      addTree(add, path.join(dir, SEALED_FOLDER), files);
      this.lastFiles = [...shared.files, ...files];
      return hash.digest('hex');
    } catch {
      return undefined;
    }
  }

  private shared(root: string): { readonly hash: string; readonly files: readonly string[] } | undefined {
    if (!this.roots.has(root)) {
      try {
        const files: string[] = [];
        const hash = crypto.createHash('sha256');
        const add = lengthPrefixed(hash);
        for (const file of [INSTANCE_FILE, QUEUE_PLAN_FILE]) addFile(add, path.join(root, DEFAULTS_FOLDER, file), files);
        addTree(add, path.join(root, CLUSTERS_FOLDER), files);
        this.roots.set(root, { hash: hash.digest('hex'), files });
      } catch {
        this.roots.set(root, undefined);
      }
    }
    return this.roots.get(root);
  }
}

/**
 * Adds each value to `hash` after its length (so that no two lists of values hash alike): a
 * string's in UTF-16 units, a file's bytes' in bytes. The bytes go in as read: a thousand
 * instances' files are neither decoded nor copied into one string with their length.
 */
function lengthPrefixed(hash: crypto.Hash): (value: string | Buffer) => void {
  return (value) => {
    hash.update(typeof value === 'string' ? `s${value.length}:` : `b${value.length}:`).update(value);
  };
}

/** A file's name and bytes, or that it is absent. */
function addFile(add: (value: string | Buffer) => void, file: string, files: string[]): void {
  add(file);
  if (!entryExists(file)) {
    add('absent');
    return;
  }
  add(readInputBytes(file));
  files.push(file);
}

/** Every entry below `dir` (none when it is absent), by name, with the bytes of each file. */
function addTree(add: (value: string | Buffer) => void, dir: string, files: string[]): void {
  add(dir);
  if (!entryExists(dir)) {
    add('absent');
    return;
  }
  for (const name of fs.readdirSync(dir).sort()) {
    const entry = path.join(dir, name);
    add(name);
    if (fs.statSync(entry).isDirectory()) addTree(add, entry, files);
    else addFile(add, entry, files);
  }
}
