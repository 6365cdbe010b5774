import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleVariant, replaceOnce, runCli as run, tempDir } from '../helpers';

/** Runs `fn` with `dir` as the working directory. */
async function inDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}

describe('mastodon-cdk8s diff', () => {
  test('GIVEN dist/ rendered from the same config WHEN diffed THEN it matches and exits 0', async () => {
    const config = exampleVariant({}, 'same');
    const dist = path.join(tempDir(), 'dist');
    await run(['synth', '--config', config, '--out', dist]);
    const result = await run(['diff', '--config', config, '--dist', dist]);
    expect(result).toMatchObject({ code: 0, stdout: `${path.normalize(dist)}/ matches what config/ renders\n` });
  });

  test('GIVEN a config change not rendered yet WHEN diffed THEN it exits 1 and names the resources and fields', async () => {
    const config = exampleVariant({}, 'stale');
    const dist = path.join(tempDir(), 'dist');
    await run(['synth', '--config', config, '--out', dist]);
    fs.writeFileSync(path.join(config, 'queue-plan.yaml'), replaceOnce(fs.readFileSync(path.join(config, 'queue-plan.yaml'), 'utf8'), 'replicas: 4', 'replicas: 6'));
    fs.rmSync(path.join(dist, 'stale', 'SECRETS.md'));
    const result = await run(['diff', '--config', config, '--dist', dist]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe([
      `${path.normalize(dist)}/ differs from what config/ renders (1 added, 1 changed):`,
      '~ Deployment mastodon/sidekiq-default  (stale/mastodon/Deployment.sidekiq-default.yaml)',
      '    spec.replicas: 4 → 6',
      '+ file stale/SECRETS.md',
      '',
    ].join('\n'));
    const markdown = await run(['diff', '--config', config, '--dist', dist, '--markdown']);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain('  - `spec.replicas`: `4` → `6`');
  });

  test('GIVEN --base WHEN diffed THEN dist/ as committed at that revision is compared', async () => {
    const repo = tempDir();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    const config = exampleVariant({}, 'based');
    await run(['synth', '--config', config, '--out', path.join(repo, 'dist')]);
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'dist');
    // The working tree's dist/ goes stale; the committed one is what is compared.
    fs.rmSync(path.join(repo, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(config, 'instance.yaml'), replaceOnce(fs.readFileSync(path.join(config, 'instance.yaml'), 'utf8'), 'version: v4.7.2', 'version: v4.7.3'));

    const result = await inDir(repo, () => run(['diff', '--config', config, '--base', 'HEAD']));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^dist\/ at HEAD differs from what config\/ renders \(1 renamed, 9 changed\):\n/);
    expect(result.stdout).toContain('~ Job mastodon/db-migrate-pre  (based/mastodon/Job.db-migrate-pre.yaml)');

    const unknown = await inDir(repo, () => run(['diff', '--config', config, '--base', 'no-such-branch']));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: --base no-such-branch: not a commit in this repository/);
  });

  test('GIVEN a committed Deployment whose selector differs from what config/ renders WHEN diffed THEN it names the field, explains it and exits 3', async () => {
    const config = exampleVariant({}, 'selector');
    const dist = path.join(tempDir(), 'dist');
    await run(['synth', '--config', config, '--out', dist]);
    // As if the previous render had selected on one more label: the new render changes the selector.
    const file = path.join(dist, 'selector', 'mastodon', 'Deployment.web.yaml');
    fs.writeFileSync(file, replaceOnce(fs.readFileSync(file, 'utf8'), '\n  selector:\n    matchLabels:\n', '\n  selector:\n    matchLabels:\n      app.kubernetes.io/part-of: mastodon\n'));

    const text = await run(['diff', '--config', config, '--dist', dist]);
    expect(text.code).toBe(3);
    expect(text.stdout).toContain('! Deployment mastodon/web  (selector/mastodon/Deployment.web.yaml)\n    spec.selector: a Deployment\'s selector is immutable in apps/v1');
    const markdown = await run(['diff', '--config', config, '--dist', dist, '--markdown']);
    expect(markdown.code).toBe(3);
    expect(markdown.stdout).toMatch(/^### Rendered changes against .*\n\n\*\*1 changed\*\*\n\n#### ⛔ Will be rejected by the API server\n\n.*\n\n- `Deployment mastodon\/web` in `selector\/mastodon\/Deployment\.web\.yaml`\n {2}- `spec\.selector`: /);
    expect(markdown.stdout).toContain('#### Changed');
  });

  test('GIVEN a config error WHEN diffed THEN it exits 2 (an error), not 1 (differences)', async () => {
    const config = exampleVariant({ instance: (t) => replaceOnce(t, 'version: v4.7.2', 'version: latest') }, 'broken');
    const result = await run(['diff', '--config', config, '--dist', tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: invalid configuration\n/);
  });

  test('GIVEN a dist/ that cannot be read WHEN diffed THEN it exits 2 and says which', async () => {
    const config = exampleVariant({}, 'unreadable');
    const notADir = path.join(tempDir(), 'dist');
    fs.writeFileSync(notADir, 'a file where the rendered tree should be');
    const result = await run(['diff', '--config', config, '--dist', notADir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: cannot read ${notADir}: ENOTDIR: not a directory, scandir '${notADir}'\n`);
  });

  test('GIVEN an unknown option WHEN diffed THEN it exits 2; --help documents the exit codes', async () => {
    expect((await run(['diff', '--no-such-option'])).code).toBe(2);
    const help = await run(['diff', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('exit codes: 0 no differences, 1 differences, 2 error (bad config, unreadable tree, bad --base or option), 3 differences that include changes the API server will reject');
  });
});
