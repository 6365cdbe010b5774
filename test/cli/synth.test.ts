import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleVariant, replaceOnce, tempDir } from '../helpers';
import { run } from './run';

function listTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((f) => {
    const full = path.join(d, f.name);
    if (f.isDirectory()) walk(full); else files[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
  });
  walk(dir);
  return files;
}

describe('mastodon-cdk8s synth', () => {
  test('GIVEN the same input WHEN rendered twice THEN the output is byte-identical', async () => {
    const config = exampleVariant({}, 'twice');
    const [a, b] = [path.join(tempDir(), 'dist'), path.join(tempDir(), 'dist')];
    expect((await run(['synth', '--config', config, '--out', a])).code).toBe(0);
    expect((await run(['synth', '--config', config, '--out', b])).code).toBe(0);
    expect(listTree(a)).toEqual(listTree(b));
  });

  test('GIVEN a pool removed from the plan WHEN re-rendered THEN its stale file is gone', async () => {
    const out = path.join(tempDir(), 'dist');
    const config = exampleVariant({}, 'stale');
    await run(['synth', '--config', config, '--out', out]);
    expect(fs.existsSync(path.join(out, 'stale/mastodon/Deployment.sidekiq-scheduler.yaml'))).toBe(true);
    fs.writeFileSync(path.join(config, 'queue-plan.yaml'), 'pools:\n  all:\n    threads: 5\n    replicas: 1\n    queues: [default, scheduler, mailers, push, ingress, pull, fasp]\n');
    expect((await run(['synth', '--config', config, '--out', out])).code).toBe(0);
    const files = Object.keys(listTree(out));
    expect(files).toContain('stale/mastodon/Deployment.sidekiq-all.yaml');
    expect(files.filter((f) => f.includes('sidekiq-scheduler') || f.includes('sidekiq-default'))).toEqual([]);
  });

  test('GIVEN one instance selected WHEN rendered THEN other instances in the output are kept', async () => {
    const out = path.join(tempDir(), 'dist');
    await run(['synth', '--config', exampleVariant({}, 'one'), '--out', out]);
    await run(['synth', '--config', exampleVariant({ instance: (t) => replaceOnce(t, 'namespace: mastodon', 'namespace: two') }, 'two'), '--out', out]);
    expect(fs.readdirSync(out).sort()).toEqual(['one', 'two']);
  });

  test('GIVEN bad input WHEN rendered THEN it exits 1 with the positioned message, no stack, and the output untouched', async () => {
    const out = path.join(tempDir(), 'dist');
    const good = exampleVariant({}, 'inst');
    await run(['synth', '--config', good, '--out', out]);
    const before = listTree(out);
    const bad = exampleVariant({ queuePlan: (t) => replaceOnce(t, 'threads: 4', 'threads: 0') }, 'inst');
    const result = await run(['synth', '--config', bad, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/queue-plan\.yaml:16:14: pools\.scheduler\.threads: 0 is not allowed: must be >= 1/);
    expect(result.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(listTree(out)).toEqual(before);
  });

  test('GIVEN two instances in one namespace WHEN rendered THEN that is an error', async () => {
    const root = tempDir();
    for (const id of ['a', 'b']) {
      const dir = exampleVariant({}, id);
      fs.renameSync(dir, path.join(root, id));
    }
    const result = await run(['synth', '--config', path.join(root, 'a'), '--config', path.join(root, 'b'), '--out', path.join(root, 'dist')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/b[\\/]instance\.yaml:7:12: namespace: "mastodon" is already used by instance a/);
  });

  test('GIVEN an unknown option WHEN run THEN commander reports it and exits non-zero', async () => {
    const result = await run(['synth', '--bogus']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown option '--bogus'/);
  });
});
