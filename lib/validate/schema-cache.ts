import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';

/**
 * Compiled schema validators kept on disk as ajv standalone code, so that `validate` (and the tests)
 * compile a kind's schema once per machine instead of on every run (about a second for the kinds of
 * one instance). One folder per key: a hash of everything the validators are made from, so a changed
 * schema file, CRD, ajv version or schema transform lands in a new folder and a stale one is never
 * read. Deleting the cache is always safe: a missing entry is compiled again.
 * @see https://ajv.js.org/standalone.html
 */

/** What the loader learnt from the schema files, kept so a warm run does not read the CRDs. */
export interface SchemaIndex {
  /** Every `group/version/kind` with a schema. */
  readonly gvks: readonly string[];
  readonly clusterScoped: readonly string[];
}

export interface SchemaCache {
  index(): SchemaIndex | undefined;
  saveIndex(index: SchemaIndex): void;
  validator(gvk: string): ValidateFunction | undefined;
  saveValidator(gvk: string, standaloneCode: string): void;
}

/** node_modules/.cache/mastodon-cdk8s/schemas, beside the CLI's bundle: outside the tracked files. */
export function defaultSchemaCacheDir(): string {
  return path.join(path.dirname(require.resolve('ajv/package.json')), '..', '.cache', 'mastodon-cdk8s', 'schemas');
}

/**
 * The cache folder for these inputs: `parts` (the loader's own version and transforms, ajv's
 * version, the kinds asked for) and the name and bytes of every schema file read, in order. Not
 * the folder they are in: the same files elsewhere (another clone, a copy) make the same validators.
 */
export function schemaCache(cacheDir: string, parts: readonly string[], files: readonly string[]): SchemaCache {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`);
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    const name = path.basename(file);
    hash.update(`${name.length}:${name}${bytes.length}:`).update(bytes);
  }
  const dir = path.join(cacheDir, hash.digest('hex').slice(0, 32));
  const fileOf = (gvk: string) => path.join(dir, `${createHash('sha256').update(gvk).digest('hex').slice(0, 32)}.js`);
  return {
    index: () => readOrUndefined(() => JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as SchemaIndex),
    saveIndex: (index) => write(dir, 'index.json', JSON.stringify(index)),
    validator: (gvk) => readOrUndefined(() => standalone(fileOf(gvk))),
    saveValidator: (gvk, code) => write(dir, path.basename(fileOf(gvk)), code),
  };
}

/**
 * A validator's standalone code, evaluated with this module's `require`: the code requires ajv's
 * runtime (`ajv/dist/runtime/ucs2length`…), which a cache folder outside node_modules' reach could
 * not resolve on its own.
 */
function standalone(file: string): ValidateFunction | undefined {
  if (!fs.existsSync(file)) return undefined;
  const module = { exports: {} as unknown };
  new Function('module', 'exports', 'require', fs.readFileSync(file, 'utf8'))(module, module.exports, require);
  return module.exports as ValidateFunction;
}

/** A cache entry that cannot be read is a miss. */
function readOrUndefined<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Written beside and renamed into place (a parallel run never reads half a file); a cache that cannot be written is skipped. */
function write(dir: string, name: string, text: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const staging = path.join(dir, `${name}.${process.pid}.tmp`);
    fs.writeFileSync(staging, text);
    fs.renameSync(staging, path.join(dir, name));
  } catch {
    // keep going without it
  }
}
