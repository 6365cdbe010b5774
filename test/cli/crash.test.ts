import { execFile } from 'node:child_process';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WORK_FOLDER } from '../../lib/core/replace-folders';
import { RenderedTree } from '../../lib/app/render';
import { writeTree } from '../../lib/render/write';
import { exampleVariant, listTree, REPO, replaceOnce, runCli, tempDir } from '../helpers';

const CLI = path.join(REPO, 'bin', 'mastodon-cdk8s.js');
/**
 * The write steps of the scenario below: lock; first file of one staged; one staged; commit; one
 * moved out; one moved in; two moved out; work folder to trash.
 */
const STEPS = 8;
/** One more, which completes. */
const MAX_STEP = STEPS + 1;

/** A minimal environment: the command needs none, and some (NODE_EXTRA_CA_CERTS) slow each start down. */
function childEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH };
}

/** Runs the real command in `cwd`; with `crashAt`, the write layer kills it (SIGKILL) at that step. */
function synth(cwd: string, args: string[] = [], crashAt?: number): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const env = { ...childEnv(), ...(crashAt ? { MASTODON_CDK8S_CRASH_AT_STEP: String(crashAt) } : {}) };
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'synth', ...args], { cwd, env, timeout: 60_000 }, (error, _stdout, stderr) => {

      const e = error as (Error & { code?: number; signal?: string }) | null;
      resolve({ code: e ? (e.code ?? null) : 0, signal: e?.signal ?? null, stderr });
    });
  });
}

/**
 * A script that writes `tree` into `dist/` of the folder it runs in, as synth's last step does
 * (writeTree, bundled from the sources): the CLI's render is the same in every run and would
 * only cost time, and the kill is injected in the write layer.
 */
function childWriter(tree: RenderedTree): string {
  const dir = tempDir();
  const bundle = path.join(dir, 'write.js');
  esbuild.buildSync({ stdin: { contents: "module.exports = { ...require('./lib/render/write'), ...require('./lib/core/replace-folders') };", resolveDir: REPO, loader: 'js' }, bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'error' });
  fs.writeFileSync(path.join(dir, 'tree.json'), JSON.stringify([...tree]));
  const script = path.join(dir, 'child.js');
  fs.writeFileSync(script, `const fs = require('node:fs');
const write = require(${JSON.stringify(bundle)});
write.crashAtStep(Number(process.env.MASTODON_CDK8S_CRASH_AT_STEP));
write.writeTree('dist', new Map(JSON.parse(fs.readFileSync(${JSON.stringify(path.join(dir, 'tree.json'))}, 'utf8'))), 'all');
`);
  return script;
}

function writeInChild(script: string, cwd: string, crashAt: number): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { cwd, env: { ...childEnv(), MASTODON_CDK8S_CRASH_AT_STEP: String(crashAt) }, timeout: 60_000 }, (error) => {
      const e = error as (Error & { code?: number; signal?: string }) | null;
      resolve({ code: e ? (e.code ?? null) : 0, signal: e?.signal ?? null });
    });
  });
}

/** Runs the tasks, as many at a time as there are CPUs (more only slows each one down). */
async function inParallel<T>(tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, os.cpus().length) }, worker));
  return results;
}

/** The instance folders of a tree: id → (file → content); absent ids are missing. */
function byInstance(dist: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  if (!fs.existsSync(dist)) return out;
  for (const id of fs.readdirSync(dist).filter((n) => !n.startsWith('.'))) out.set(id, listTree(path.join(dist, id)));
  return out;
}

function instanceConfig(id: string, edit: (t: string) => string = (t) => t): string {
  const own = (t: string) => edit(replaceOnce(replaceOnce(t, 'namespace: mastodon', `namespace: ${id}`), '  user: doadmin\n', `  user: doadmin\n  prefix: ${id}\n`));
  const operators = (t: string) => (id === 'one' ? t : replaceOnce(t, '  # operators: auto', '  operators: none #'));
  return exampleVariant({ instance: (t) => operators(own(t)) }, id);
}

/** A folder as an earlier render left it (the SECRETS.md marker makes it the tool's), with `text` in one file. */
function renderedFolder(dist: string, id: string, text: string): void {
  fs.mkdirSync(path.join(dist, id, 'mastodon'), { recursive: true });
  fs.writeFileSync(path.join(dist, id, 'SECRETS.md'), `# Secrets of instance \`${id}\`\n`);
  fs.writeFileSync(path.join(dist, id, 'mastodon', 'Deployment.web.yaml'), text);
}

describe('a synth killed at any write step', () => {
  test('GIVEN a change that rewrites one instance and removes another WHEN synth is killed at each write step THEN every instance folder is old or new, and the next synth leaves the new tree and no leftovers', async () => {
    // GIVEN config/one, and dist/ as rendered before: instance one (older output) and instance two (since removed from config/)
    const template = tempDir();
    fs.mkdirSync(path.join(template, 'config'));
    fs.renameSync(instanceConfig('one'), path.join(template, 'config', 'one'));
    renderedFolder(path.join(template, 'dist'), 'one', 'kind: Deployment # older\n');
    renderedFolder(path.join(template, 'dist'), 'two', 'kind: Deployment\n');
    const old = byInstance(path.join(template, 'dist'));
    const expected = tempDir();
    fs.cpSync(template, expected, { recursive: true });
    expect((await synth(expected)).code).toBe(0);
    const fresh = byInstance(path.join(expected, 'dist'));
    expect([...fresh.keys()]).toEqual(['one']);
    const rendered: RenderedTree = new Map(Object.entries(listTree(path.join(expected, 'dist'))));
    const writer = childWriter(rendered);

    // WHEN the write of that render is killed at step 1, 2, … (in copies of the old state)
    const runs = await inParallel(Array.from({ length: MAX_STEP }, (_, i) => async () => {
      const root = tempDir();
      fs.cpSync(template, root, { recursive: true });
      const crashed = await writeInChild(writer, root, i + 1);
      return { step: i + 1, root, crashed, after: byInstance(path.join(root, 'dist')), held: fs.existsSync(path.join(root, 'dist', WORK_FOLDER)) };
    }));

    // THEN the first runs were killed and the last ones completed: every step was reached
    const killed = runs.filter((r) => r.crashed.signal === 'SIGKILL').map((r) => r.step);
    expect(killed).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    expect(runs.filter((r) => r.crashed.signal !== 'SIGKILL').map((r) => r.crashed.code)).toEqual(Array(MAX_STEP - STEPS).fill(0));

    const states = new Set<string>();
    for (const { step, after, held } of runs.slice(0, STEPS)) {
      // THEN each instance folder present is entirely old or entirely new …
      for (const [id, files] of after) {
        const state = JSON.stringify(files) === JSON.stringify(old.get(id)) ? 'old' : JSON.stringify(files) === JSON.stringify(fresh.get(id)) ? 'new' : 'mixed';
        expect({ step, id, state }).toEqual({ step, id, state: expect.stringMatching(/^(old|new)$/) });
        states.add(`${id}:${state}`);
      }
      // … and one is missing only while the work folder holds it, between its two renames
      if (!after.has('one')) expect({ step, held }).toEqual({ step, held: true });
    }
    expect([...states].sort()).toEqual(['one:new', 'one:old', 'two:old']);

    // WHEN the next synth writes (the rendered tree is the same in every run: its write is what is under test)
    for (const { step, root } of runs.slice(0, STEPS)) {
      const cwd = process.cwd();
      process.chdir(root);
      try {
        writeTree('dist', rendered, 'all');
      } finally {
        process.chdir(cwd);
      }
      // THEN the tree is the new one, with no work folder, trash or staging left
      expect({ step, entries: fs.readdirSync(path.join(root, 'dist')).sort() }).toEqual({ step, entries: ['one'] });
      expect({ step, tree: byInstance(path.join(root, 'dist')) }).toEqual({ step, tree: fresh });
      expect({ step, root: fs.readdirSync(root).sort() }).toEqual({ step, root: ['config', 'dist'] });
    }
  }, 60_000);

  test('GIVEN a synth killed between the two renames of an instance WHEN the next synth renders only other instances THEN the instance folder is back', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'config'));
    fs.renameSync(instanceConfig('one'), path.join(root, 'config', 'one'));
    renderedFolder(path.join(root, 'dist'), 'one', 'kind: Deployment # older\n');
    renderedFolder(path.join(root, 'dist'), 'two', 'kind: Deployment # older\n');
    const before = listTree(path.join(root, 'dist', 'two'));
    // Steps: lock, first file staged, instance staged, commit, one moved out, one moved in.
    expect((await synth(root, ['--config', 'config/one'], 5)).signal).toBe('SIGKILL');
    expect(fs.existsSync(path.join(root, 'dist', 'one'))).toBe(false);
    // the next run is of instance two's config only: one is outside its scope
    fs.renameSync(instanceConfig('two'), path.join(root, 'config', 'two'));
    expect((await runCli(['synth', '--config', path.join(root, 'config', 'two'), '--out', path.join(root, 'dist')])).code).toBe(0);
    expect(listTree(path.join(root, 'dist', 'one'))['mastodon/Deployment.web.yaml']).toMatch(/^---\napiVersion: apps\/v1\n/);
    expect(listTree(path.join(root, 'dist', 'two'))).not.toEqual(before);
    expect(fs.readdirSync(path.join(root, 'dist')).sort()).toEqual(['one', 'two']);
  });

  test('GIVEN the leftovers of the earlier writer (an instance folder moved to <id>.old-<pid>, a staging folder) WHEN synth runs THEN the instance is back and the leftovers are gone', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'config'));
    fs.renameSync(instanceConfig('one'), path.join(root, 'config', 'one'));
    // the earlier writer, killed between its two renames of instance two, while rendering only one
    renderedFolder(path.join(root, 'dist'), 'two.old-4242', 'kind: Deployment\n');
    fs.writeFileSync(path.join(root, 'dist', 'two.old-4242', 'SECRETS.md'), '# Secrets of instance `two`\n');
    fs.mkdirSync(path.join(root, '.dist-dist-AbC123', 'one'), { recursive: true });
    expect((await runCli(['synth', '--config', path.join(root, 'config', 'one'), '--out', path.join(root, 'dist')])).code).toBe(0);
    expect(fs.readdirSync(path.join(root, 'dist')).sort()).toEqual(['one', 'two']);
    expect(listTree(path.join(root, 'dist', 'two'))).toEqual({ 'SECRETS.md': '# Secrets of instance `two`\n', 'mastodon/Deployment.web.yaml': 'kind: Deployment\n' });
    expect(fs.readdirSync(root).sort()).toEqual(['config', 'dist']);
  });

  test('GIVEN another synth writing the same output (its process alive) WHEN synth runs THEN it refuses, and touches nothing', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'config'));
    fs.renameSync(instanceConfig('one'), path.join(root, 'config', 'one'));
    renderedFolder(path.join(root, 'dist'), 'one', 'kind: Deployment # older\n');
    fs.mkdirSync(path.join(root, 'dist', WORK_FOLDER));
    // The jest process that runs this test stands in for the other writer: it is alive.
    fs.writeFileSync(path.join(root, 'dist', WORK_FOLDER, 'owner.pid'), `${process.pid}\n`);
    const before = listTree(path.join(root, 'dist'));
    const result = await synth(root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: dist: process ${process.pid} is writing this folder right now; run again when it is done (if no such process runs, delete dist/${WORK_FOLDER})\n`);
    expect(listTree(path.join(root, 'dist'))).toEqual(before);
  });
});
