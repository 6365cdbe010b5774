import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MainSettings } from '../lib/cli/main';
import { formatProblem } from '../lib/core/errors';
import type { LoadedInstance } from '../lib/config/types';
import type { RenderedTree, RenderResult } from '../lib/app/render';
import { compareRelease } from '../lib/catalog/mastodon-releases';
import { keyOf, runCached } from './run-cache';

/*
 * The loader, the renderer and the YAML parser are loaded on first use: a test file that only
 * reads renders this run already holds (test/run-cache.ts), or only needs a scratch folder, does
 * not load them (about a tenth of a second per test file).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const loadInstance = (dir: string): LoadedInstance => (require('../lib/app/load') as typeof import('../lib/app/load')).loadInstance(dir);
const renderInstance = (loaded: LoadedInstance): RenderResult => (require('../lib/app/render') as typeof import('../lib/app/render')).renderInstance(loaded);
const fastDocuments = (text: string): unknown[] | undefined => (require('../lib/core/read-yaml') as typeof import('../lib/core/read-yaml')).fastDocuments(text);
const libraryParse = (text: string): any => (require('yaml') as typeof import('yaml')).parse(text);
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * A rendered file's one document as the `yaml` library's `parse` reads it: by the fast reader of
 * the form our writer emits where it takes the file (lib/core/read-yaml.ts, held to the library by
 * test/validate/read-yaml.test.ts, which also requires it to take every file the fixtures render),
 * by the library otherwise.
 */
export function parseRendered(text: string): any {
  const fast = fastDocuments(text);
  return fast?.length === 1 ? fast[0] : libraryParse(text);
}

export const REPO = path.join(__dirname, '..');
/**
 * The tests' own instances: frozen copies of the README's examples, so a user who edits or deletes
 * `config/example` keeps a green CI (test/examples.test.ts renders whatever `config/` holds).
 */
export const FIXTURES_DIR = path.join(REPO, 'test', 'fixtures', 'config');
export const EXAMPLE_DIR = path.join(FIXTURES_DIR, 'example');
export const GATEWAY_EXAMPLE_DIR = path.join(FIXTURES_DIR, 'gateway-example');

export function loadExample(): LoadedInstance {
  return loadInstance(EXAMPLE_DIR);
}

/** Scratch directories of the current test file, removed when it ends. */
const scratchDirs: string[] = [];
afterAll(() => {
  for (const dir of scratchDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh scratch directory under the OS temp dir, removed after the test file. */
export function tempDir(prefix = 'mastodon-cdk8s-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

/**
 * An instance folder named `id` holding the example's files, with `edit` applied to their text
 * (GIVEN a config that differs from the example in one way).
 */
export function exampleVariant(edit: { instance?: (text: string) => string; queuePlan?: (text: string) => string } = {}, id = 'variant'): string {
  const dir = path.join(tempDir(), id);
  fs.mkdirSync(dir);
  const read = (f: string) => fs.readFileSync(path.join(EXAMPLE_DIR, f), 'utf8');
  fs.writeFileSync(path.join(dir, 'instance.yaml'), (edit.instance ?? ((t) => t))(read('instance.yaml')));
  fs.writeFileSync(path.join(dir, 'queue-plan.yaml'), (edit.queuePlan ?? ((t) => t))(read('queue-plan.yaml')));
  return dir;
}

/** A copy of the gateway-example fixture (same folder name, so the same instance id) with `edit` applied to its instance.yaml. */
export function gatewayExampleVariant(edit: (text: string) => string): string {
  const dir = path.join(tempDir(), 'gateway-example');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'instance.yaml'), edit(fs.readFileSync(path.join(GATEWAY_EXAMPLE_DIR, 'instance.yaml'), 'utf8')));
  fs.copyFileSync(path.join(GATEWAY_EXAMPLE_DIR, 'queue-plan.yaml'), path.join(dir, 'queue-plan.yaml'));
  return dir;
}

/** Replaces exactly one occurrence of `from`, so a fixture edit cannot silently miss. */
export function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const matches = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from, 'g')) ?? []).length;
  if (matches !== 1) throw new Error(`fixture edit expected one match of ${from}, found ${matches}`);
  return text.replace(from, to);
}

/** An edit of the example's instance.yaml: the Sidekiq role on managed Valkey (TLS, a password, database 2). */
export function sidekiqOnValkey(text: string): string {
  return replaceOnce(text, /  sidekiq: # SIDEKIQ_REDIS_URL.*\n    dragonfly:\n      password: \{ name: dragonfly-auth, key: password \}\n/,
    '  sidekiq:\n    external: { host: valkey.db.ondigitalocean.com, port: 25061, db: 2, tls: true, password: { name: valkey, key: password } }\n');
}

/**
 * The rendered objects of a tree, parsed, by file path: a tree parsed once per run (several test
 * files read the same renders), each call a fresh copy the caller may edit (test/run-cache.ts).
 */
export function objects(tree: RenderedTree): Map<string, any> {
  const yaml = [...tree].filter(([file]) => file.endsWith('.yaml'));
  return new Map(runCached(keyOf('objects', ...yaml.flat()), () => yaml.map(([file, content]): [string, unknown] => [file, parsedFile(content)])));
}

/**
 * A rendered file's content parsed, each call a fresh copy: once per run for the same content
 * (test/run-cache.ts). The variants of an instance that test files render differ from each other
 * in a few files, so most of their files are parsed once for all of them.
 */
function parsedFile(content: string): any {
  return runCached(keyOf('parsed', content), () => parseRendered(content));
}

/** Every file under `root`, by relative path, with its content; undefined past `limit` files. */
function filesUnder(root: string, limit = 100): string[] | undefined {
  const names = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();
  if (names.length > limit) return undefined;
  return names.filter((f) => fs.statSync(path.join(root, f)).isFile()).flatMap((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')]);
}

/**
 * The files an instance folder renders to: once per run for the same config (rendering is a pure
 * function of the instance folder and its config root's defaults/ and clusters/, all part of the
 * key), each call a Map of its own (test/run-cache.ts). The fixtures are rendered by dozens of
 * test files. For a folder under a small config root (the fixtures, an exampleVariant()).
 */
export function renderedFiles(dir: string): RenderedTree {
  const render = () => [...renderInstance(loadInstance(dir)).files];
  const inputs = filesUnder(path.dirname(dir));
  return new Map(inputs ? runCached(keyOf('renderedFiles', path.basename(dir), ...inputs), render) : render());
}

/** The example fixture rendered (renderedFiles). */
export function renderExample(): RenderedTree {
  return renderedFiles(EXAMPLE_DIR);
}

/** The one object rendered to `<instance>/<chart>/<Kind>.<name>.yaml`. */
export function objectAt(tree: RenderedTree, file: string): any {
  const content = tree.get(file);
  if (content === undefined) throw new Error(`${file} was not rendered; rendered: ${[...tree.keys()].join(', ')}`);
  return parsedFile(content);
}

/** Runs `fn` and returns the message of the error it throws. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, got none');
}

/** The lines of a message with each temp path reduced to the file name (`queue-plan.yaml:5:3: …`). */
export function shortPaths(message: string): string[] {
  return message.split('\n').map((line) => line.replace(/^.*?[\\/](instance|queue-plan)\.yaml/, '$1.yaml'));
}

/** The problems of loading `dir`, one per line, with the temp path reduced to the file name. */
export function problemsOf(dir: string): string[] {
  return shortPaths(errorOf(() => loadInstance(dir)));
}

/** The warnings of loading and rendering `dir`, formatted like the CLI does, with short paths. */
export function warningsOf(dir: string): string[] {
  return renderInstance(loadInstance(dir)).warnings.flatMap((w) => shortPaths(formatProblem(w)));
}

/** The problems of loading and rendering `dir` (render adds the connection budget). */
export function renderProblemsOf(dir: string): string[] {
  return shortPaths(errorOf(() => renderInstance(loadInstance(dir))));
}

/** Runs the CLI, capturing what it prints; `settings` are what bin/mastodon-cdk8s.js would give it (the render cache). */
export async function runCli(args: string[], settings?: MainSettings): Promise<{ code: number; stdout: string; stderr: string }> {
  // Loaded on the first run: most test files never run the CLI, and loading every command would cost each of them.
  const { main } = await import('../lib/cli/main');
  const out: string[] = [];
  const err: string[] = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true; });
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => { err.push(String(s)); return true; });
  try {
    const code = await main(args, settings);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** Every file under `dir`, by relative path, with its content. */
export function listTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((f) => {
    const full = path.join(d, f.name);
    if (f.isDirectory()) walk(full); else files[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
  });
  walk(dir);
  return files;
}

/** The example's monitoring switch, which a release before 4.4 refuses (lib/checks/monitoring.ts). */
const EXAMPLE_MONITORING = 'monitoring:\n  enabled: true\n';

/**
 * The example's instance.yaml at another Mastodon `version`; below 4.4, which has no metric
 * exporter, with monitoring turned off as such an instance must have it.
 */
export function exampleAtVersion(text: string, version: string): string {
  const t = replaceOnce(text, '  version: v4.7.2\n', `  version: ${version}\n`);
  return compareRelease(version, '4.4') < 0 ? replaceOnce(t, EXAMPLE_MONITORING, 'monitoring:\n  enabled: false\n') : t;
}
