import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadInstance } from '../../lib/app/load';
import { renderInstance } from '../../lib/app/render';
import type { FolderStatsCheck, statsHash } from '../../lib/render/folder-stats';
import { EXAMPLE_DIR, GATEWAY_EXAMPLE_DIR, listTree, REPO, tempDir } from '../helpers';

// The benchmark's generator: config/example's settings as config/defaults, short instance files.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generateInstances } = require('../../scripts/generate-instances') as { generateInstances: (dir: string, count: number) => string[] };

const BIN = path.join(REPO, 'bin', 'mastodon-cdk8s.js');
const BUNDLE = path.join(REPO, 'node_modules', '.cache', 'mastodon-cdk8s', 'cli.js');

/**
 * Users run the CLI bundled by bin/mastodon-cdk8s.js; this file, alone among the tests, renders
 * the sources with the dependencies as published (jest.config.js; the others load them patched
 * as the bundle has them, test/setup/patched-dependencies.js): the bundle replaces
 * the generated `toJson_*` functions' quadratic reducer with a linear one (a loop over the
 * object's keys), and cdk8s' `resolve`
 * with one that has a fast path for the built-in resolvers, and `ApiObject.toJson`'s resolve and
 * sanitize with one pass (scripts/bundle-patches.js, issue 17). GIVEN the
 * fixtures and generated instances WHEN the bundled CLI renders them THEN every file is the one the
 * sources render, and the bundle has no quadratic reducer left (a dependency that writes it
 * otherwise fails here).
 */
describe('the bundled CLI', () => {
  test('GIVEN the fixtures and generated instances WHEN the bundle renders them THEN the files are the sources\' renders, and its reducers are all the linear one', () => {
    // This file runs with the dependencies as published (jest.config.js): the other tests run them patched.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect((require('cdk8s/lib/resolve') as { resolveSanitized?: unknown }).resolveSanitized).toBeUndefined();
    // Two runs: the fixtures and the generated instances each install the cluster's operators.
    for (const dirs of [[EXAMPLE_DIR, GATEWAY_EXAMPLE_DIR], generateInstances(path.join(tempDir(), 'config'), 2)]) {
      const out = path.join(tempDir(), 'dist');
      const run = spawnSync(process.execPath, [BIN, 'synth', ...dirs.flatMap((d) => ['--config', d]), '--out', out, '--no-cache'], { cwd: REPO, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      for (const dir of dirs) {
        const id = path.basename(dir);
        const sources = new Map([...renderInstance(loadInstance(dir)).files].map(([file, text]) => [file.slice(id.length + 1), text]));
        expect({ id, files: listTree(path.join(out, id)) }).toEqual({ id, files: Object.fromEntries(sources) });
      }
    }
    const bundle = fs.readFileSync(BUNDLE, 'utf8');
    // The plain form only: the few that convert values (quantities, nested schemas) keep theirs.
    expect(bundle.match(/\{ \.\.\.r, \[i\[0\]\]: i\[1\] \}/g)).toBeNull();
    expect(bundle.match(/\bdefinedFields\d*\(/g)?.length).toBeGreaterThan(1000);
    // cdk8s' resolve with the built-in resolvers' fast path (scripts/bundle-patches.js).
    expect(bundle.match(/\bexports\d*\.resolve = resolveWithBuiltIns;/g)?.length).toBe(1);
    // ApiObject.toJson resolving and sanitizing in one pass (scripts/bundle-patches.js onePassToJson).
    expect(bundle.match(/\.resolveSanitized\)\(\[\], data, this, \{ sortKeys \}\)/g)?.length).toBe(1);
    expect(bundle.match(/\bexports\d*\.resolveSanitized = resolveSanitized;/g)?.length).toBe(1);
  }, 60_000);

  test('GIVEN a reader that stops early (| head) WHEN the CLI writes into the closed pipe THEN it ends as it would have, with no stack trace', async () => {
    for (const args of [['diff', '--help'], ['plan', '--config', EXAMPLE_DIR]]) {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk) => { stderr += String(chunk); });
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect({ args, code, stderr }).toEqual({ args, code: 0, stderr: '' });
    }
  });

  test('GIVEN a command run WHEN it ends THEN V8\'s code cache of the bundle is kept for that command (one made by --help would leave a synth compiling most of its functions again)', () => {
    const cache = (name: string) => path.join(path.dirname(BUNDLE), `cli.${name}.v8cache`);
    for (const [args, name] of [[['plan', '--config', EXAMPLE_DIR], 'plan'], [['--help'], 'other']] as const) {
      fs.rmSync(cache(name), { force: true });
      const run = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8' });
      expect(run.status).toBe(0);
      expect(fs.existsSync(cache(name))).toBe(true);
    }
  });

  test('GIVEN output folders recorded WHEN the bundle\'s stats check runs its worker THEN the worker answers them all from the bundled source (lib/render/folder-stats.ts runs two functions as source)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cli = require(BUNDLE) as { FolderStatsCheck: typeof FolderStatsCheck; statsHash: typeof statsHash };
    // Each folder holds a file named after it (lib/render/folder-stats.ts, pathTemplate).
    const TEMPLATE = ['/', 'sub/', '\0.yaml', 'sub/x.yaml'];
    const root = tempDir();
    const folders = ['one', 'two', 'three'].map((id) => {
      fs.mkdirSync(path.join(root, id, 'sub'), { recursive: true });
      fs.writeFileSync(path.join(root, id, 'sub', 'x.yaml'), `${id}\n`);
      fs.writeFileSync(path.join(root, id, `${id}.yaml`), `${id}\n`);
      return { dir: path.join(root, id), name: id, shape: 0, stats: cli.statsHash(path.join(root, id), id, TEMPLATE) };
    });
    fs.appendFileSync(path.join(root, 'two', 'sub', 'x.yaml'), 'edited\n');
    const check = new cli.FolderStatsCheck({ shapes: [TEMPLATE], folders }, { from: 0 });
    const state = (check as unknown as { state: Int32Array }).state;
    const until = Date.now() + 20_000;
    while (state.some((s) => s < 2) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    expect([...state]).toEqual([2, 3, 2]);
    expect([0, 1, 2].map((i) => check.matches(i))).toEqual([true, false, true]);
  });
});
