import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listTree, replaceOnce, tempDir } from '../helpers';

// The benchmark's generator: config/example's settings as config/defaults, short instance files.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generateInstances } = require('../../scripts/generate-instances') as { generateInstances: (dir: string, count: number) => string[] };

const BIN = path.join(__dirname, '..', '..', 'bin', 'mastodon-cdk8s.js');
const INSTANCES = 12;

/**
 * Rendering on worker threads (lib/app/render-pool.ts) must never change what synth writes or
 * prints: GIVEN a hosting provider's repository WHEN it is synthesized by the real CLI
 * (bin/mastodon-cdk8s.js, whose workers load the same bundle) with the workers forced on and
 * forced off THEN the trees, the exit codes, the warnings and the error messages are
 * byte-identical, and the checks across instances still see all of them.
 */
function synth(root: string, parallel: 'always' | 'never', args: string[] = ['--no-cache']) {
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  const run = spawnSync(process.execPath, [BIN, 'synth', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, MASTODON_CDK8S_PARALLEL: parallel } });
  const dist = path.join(root, 'dist');
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, tree: fs.existsSync(dist) ? listTree(dist) : {} };
}

/** GIVEN INSTANCES generated instances, with an edit applied to the instance.yaml of some (by index). */
function provider(edits: Record<number, (text: string) => string> = {}): string {
  const root = tempDir('mastodon-cdk8s-parallel-');
  const dirs = generateInstances(path.join(root, 'config'), INSTANCES);
  for (const [i, edit] of Object.entries(edits)) {
    const file = path.join(dirs[Number(i)], 'instance.yaml');
    fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  }
  return root;
}

/** The connection pool of one instance: 115 connections warns (106 used, over 90 %), 80 is too few. */
const poolSize = (size: number) => (text: string) => replaceOnce(text, 'database:\n', `database:\n  pool:\n    size: ${size}\n`);

describe('synth on worker threads', () => {
  test('GIVEN 12 instances, one of which warns THEN the same tree, output and warning as a serial render', () => {
    const root = provider({ 4: poolSize(115) });
    const serial = synth(root, 'never');
    const parallel = synth(root, 'always');
    expect(serial.code).toBe(0);
    expect(Object.keys(serial.tree).length).toBeGreaterThan(INSTANCES * 50);
    expect(serial.stderr).toMatch(/^warning: config\/tenant-005\/instance\.yaml:\d+:\d+: database\.pool\.size: /);
    // A provider's instances are not all listed on the summary line.
    expect(serial.stdout).toMatch(/ files for tenant-001, tenant-002, (tenant-0\d\d, ){7}tenant-010 and 2 more into dist\/ \(updated: /);
    expect(parallel).toEqual(serial);
  });

  test('GIVEN instances with config errors THEN the same problems of all instances, in instance order, no stack trace, nothing written', () => {
    const root = provider({ 2: poolSize(115), 5: poolSize(80), 9: poolSize(80) });
    const serial = synth(root, 'never');
    const parallel = synth(root, 'always');
    expect(serial.code).toBe(1);
    expect(serial.tree).toEqual({});
    const problems = serial.stderr.split('\n').filter((line) => line.startsWith('config/'));
    expect(problems.map((line) => line.slice(0, line.indexOf('/instance.yaml')))).toEqual(['config/tenant-006', 'config/tenant-010']);
    expect(serial.stderr).toMatch(/^error: 2 problems in the configuration\n/);
    expect(serial.stderr).not.toMatch(/\bat .*\.(js|ts):\d+/);
    expect(parallel).toEqual(serial);
  });

  test('GIVEN a warm render cache and two edited instances THEN cache hits and worker renders together give the full serial tree', () => {
    const root = provider();
    expect(synth(root, 'always', []).code).toBe(0);
    for (const i of [3, 7]) {
      const file = path.join(root, 'config', `tenant-00${i + 1}`, 'instance.yaml');
      fs.writeFileSync(file, poolSize(115)(fs.readFileSync(file, 'utf8')));
    }
    const cached = synth(root, 'always', []);
    const full = synth(root, 'never');
    expect(cached.stdout).toContain(`; ${INSTANCES - 2} of ${INSTANCES} instances unchanged, from the render cache`);
    expect(cached.tree).toEqual(full.tree);
    expect(cached.stderr).toEqual(full.stderr);
    expect(cached.code).toBe(0);
  });

  test('GIVEN a provider synthesized twice (the second run\'s spare thread starts on the check the first left: bin/spare-thread.js) WHEN a file is edited in place, keeping its size THEN the next synth finds and restores it, and only its folder', () => {
    const root = provider();
    const again = () => spawnSync(process.execPath, [BIN, 'synth'], { cwd: root, encoding: 'utf8', env: { ...process.env, MASTODON_CDK8S_PARALLEL: 'always' } });
    expect(again().status).toBe(0);
    expect(again().stdout).toContain('(no changes; 12 of 12 instances unchanged, from the render cache)');
    const written = listTree(path.join(root, 'dist'));
    const file = path.join(root, 'dist', 'tenant-004', 'SECRETS.md');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/[a-z]/, 'X'));
    const restored = again();
    expect(restored.stdout).toContain('(updated: tenant-004; 12 of 12 instances unchanged, from the render cache)');
    expect(listTree(path.join(root, 'dist'))).toEqual(written);
    expect(restored.stderr).toBe('');
  });

  test('GIVEN two instances claiming one namespace THEN the check across instances still fails the parallel render as the serial one', () => {
    const root = provider({ 8: (t) => replaceOnce(t, 'namespace: tenant-009\n', 'namespace: tenant-002\n') });
    const serial = synth(root, 'never');
    expect(serial.code).toBe(1);
    expect(serial.stderr).toContain('tenant-002');
    expect(synth(root, 'always')).toEqual(serial);
  });
});
