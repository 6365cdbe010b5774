import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { listTree, REPO, tempDir } from '../helpers';
import { EXAMPLE_INSTANCE, EXAMPLE_QUEUE_PLAN, mutate, mutation, numRuns, seed, writeInstance } from './mutations';

const CLI = path.join(REPO, 'bin', 'mastodon-cdk8s.js');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

/**
 * GIVEN a few random mutations of the example WHEN the real CLI (the bundled binary) synthesizes
 * them into an output folder that already holds a render THEN it exits 1 with problems at
 * file:line:col and no stack, leaving the folder as it was, or exits 0 with a tree that
 * `validate` accepts. In-process runs of thousands more are in ./config-mutations.test.ts.
 */
describe('the CLI on random mutations of the example config', () => {
  const cases = fc.sample(fc.array(mutation, { minLength: 1, maxLength: 2 }), { numRuns: Math.max(3, Math.floor(numRuns(30) / 10)), seed: seed() });

  test.each(cases.map((m, i) => [i, m]))('GIVEN mutation set %i THEN a clean exit 1 with dist/ untouched, or a valid render', (i, mutations) => {
    const root = tempDir();
    const dir = path.join(root, 'config', `case${i}`);
    const out = path.join(root, 'dist');
    const { text, secrets } = mutate(EXAMPLE_INSTANCE, mutations);
    writeInstance(dir, text, EXAMPLE_QUEUE_PLAN);
    fs.mkdirSync(path.join(out, `case${i}`), { recursive: true });
    fs.writeFileSync(path.join(out, `case${i}`, 'previous.yaml'), 'rendered: before\n');
    const before = listTree(out);

    const r = cli(['synth', '--config', dir, '--out', out]);

    expect(r.signal).toBeNull();
    expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+\)?$|TypeError|ReferenceError|RangeError/m);
    for (const s of secrets) expect(`${r.stdout}${r.stderr}`).not.toContain(s);
    if (r.code === 0) {
      expect(cli(['validate', '--dist', out]).code).toBe(0);
    } else {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).toMatch(/instance\.yaml:\d+:\d+: |queue-plan\.yaml:\d+:\d+: |: [A-Z][A-Za-z]+\/[^:]+: /);
      expect(listTree(out)).toEqual(before);
    }
  });
});
