import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/**
 * Values that several test files of one jest run compute alike (the example fixtures rendered, a
 * rendered tree parsed): the first file to need one writes it as JSON into the run's folder,
 * which jest's global setup makes and its teardown removes (test/setup/scratch.js), and the others
 * read it back. Only pure computations belong here, keyed by everything they read: a run never
 * outlives the code it ran (or values any one of which will do, such as a throw-away key pair:
 * test/sealing-keys.ts). Each read is a fresh copy, which the caller may edit. Without the
 * run's folder (jest started without the global setup), values are kept per test file.
 */
const RUN_DIR = process.env.MASTODON_CDK8S_JEST_RUN;
const CACHE_DIR = RUN_DIR && fs.existsSync(RUN_DIR) ? path.join(RUN_DIR, 'cache') : undefined;
const inFile = new Map<string, string>();

/** A sha256 of the parts, each length-prefixed (so that no two different lists hash alike). */
export function keyOf(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:`).update(part);
  return hash.digest('hex').slice(0, 40);
}

/** `compute()`, or its value as this run already has it. A value JSON cannot hold exactly is not kept. */
export function runCached<T>(key: string, compute: () => T): T {
  const json = inFile.get(key) ?? read(key);
  if (json !== undefined) {
    inFile.set(key, json);
    return JSON.parse(json) as T;
  }
  const value = compute();
  const text = JSON.stringify(value);
  if (text !== undefined && isDeepStrictEqual(JSON.parse(text), value)) {
    inFile.set(key, text);
    write(key, text);
  }
  return value;
}

function read(key: string): string | undefined {
  if (!CACHE_DIR) return undefined;
  try {
    return fs.readFileSync(path.join(CACHE_DIR, `${key}.json`), 'utf8');
  } catch {
    return undefined;
  }
}

/** Written beside and renamed into place: another worker never reads half an entry. */
function write(key: string, text: string): void {
  if (!CACHE_DIR) return;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const staging = path.join(CACHE_DIR, `${key}.${process.pid}.tmp`);
  fs.writeFileSync(staging, text);
  fs.renameSync(staging, path.join(CACHE_DIR, `${key}.json`));
}
