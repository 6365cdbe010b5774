import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { FileError } from '../../lib/core/file-error';
import { replaceFile } from '../../lib/core/replace-file';
import { replaceScalar, YamlEditError } from '../../lib/core/yaml-edit';
import { EXAMPLE_DIR, exampleAtVersion, exampleVariant, replaceOnce, runCli as run, tempDir } from '../helpers';

const EXAMPLE_TEXT = fs.readFileSync(path.join(EXAMPLE_DIR, 'instance.yaml'), 'utf8');
const instanceText = (dir: string) => fs.readFileSync(path.join(dir, 'instance.yaml'), 'utf8');

/** The lines of `after` that differ from `before` (same line count expected). */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return b.filter((line, i) => line !== a[i]);
}

describe('mastodon-cdk8s upgrade', () => {
  test('GIVEN the example on v4.7.2 WHEN upgraded to v4.7.3 THEN only the version line changes, comments and formatting kept, and it says what to do', async () => {
    const dir = exampleVariant();
    const result = await run(['upgrade', 'v4.7.3', '--config', dir]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(changedLines(EXAMPLE_TEXT, instanceText(dir))).toEqual(['  version: v4.7.3']);
    expect(result.stdout).toContain('variant: Mastodon v4.7.2 → v4.7.3');
    expect(result.stdout).toContain('images ghcr.io/mastodon/mastodon and ghcr.io/mastodon/mastodon-streaming: v4.7.2 → v4.7.3');
    expect(result.stdout).toContain('1. read the release notes of every release after v4.7.2 up to v4.7.3');
    expect(result.stdout).toMatch(/set mastodon\.version to v4\.7\.3 in .*variant\/instance\.yaml; next: npm run synth/);
    // Nothing is left beside the file (the temporary file of the atomic replace).
    expect(fs.readdirSync(dir).sort()).toEqual(['instance.yaml', 'queue-plan.yaml']);
  });

  test('GIVEN --dry-run THEN it checks and prints, and writes nothing', async () => {
    const dir = exampleVariant();
    const result = await run(['upgrade', 'v4.7.3', '--config', dir, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dry run: would set mastodon.version to v4.7.3');
    expect(instanceText(dir)).toBe(EXAMPLE_TEXT);
  });

  test('GIVEN the same version THEN nothing to do, nothing written', async () => {
    const dir = exampleVariant();
    const result = await run(['upgrade', 'v4.7.2', '--config', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('variant: already on Mastodon v4.7.2');
    expect(instanceText(dir)).toBe(EXAMPLE_TEXT);
  });

  test('GIVEN an older version THEN the downgrade is refused at the version line, nothing written', async () => {
    const dir = exampleVariant();
    for (const version of ['v4.7.1', 'v4.6.5']) {
      const result = await run(['upgrade', version, '--config', dir]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`instance\\.yaml:10:12: mastodon\\.version: ${version.replace(/\./g, '\\.')} is older than the current v4\\.7\\.2: Mastodon's database migrations only go forward, so a downgrade is refused`));
      expect(instanceText(dir)).toBe(EXAMPLE_TEXT);
    }
  });

  test.each([
    ['4.7.3', '"4.7.3" is not a Mastodon release tag; allowed: vMAJOR.MINOR.PATCH'],
    ['v4.7', '"v4.7" is not a Mastodon release tag'],
    ['latest', '"latest" is not a Mastodon release tag'],
    ['v4.8.0', 'this mastodon-cdk8s knows Mastodon 4.3–4.7, not 4.8: its queues, secrets and removed settings are unknown here'],
    ['v4.2.9', 'Mastodon 4.2 is older than the oldest release line mastodon-cdk8s supports (4.3–4.7)'],
  ])('GIVEN the target %s THEN it is refused before any file is read', async (version, message) => {
    const dir = exampleVariant();
    const result = await run(['upgrade', version, '--config', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(instanceText(dir)).toBe(EXAMPLE_TEXT);
  });

  describe('GIVEN an instance on 4.3 (OTP_SECRET, no fasp queue, REDIS_NAMESPACE in extraEnv)', () => {
    const on43 = (extra: (t: string) => string = (t) => t, queuePlan: (t: string) => string = (t) => replaceOnce(t, '      fasp: 2\n', '')) => exampleVariant({
      instance: (t) => extra(exampleAtVersion(t, 'v4.3.9')),
      queuePlan,
    });

    test('WHEN upgraded to 4.4 with no pool for fasp THEN refused: the queue no pool consumes, nothing written', async () => {
      const dir = on43();
      const before = instanceText(dir);
      const result = await run(['upgrade', 'v4.4.0', '--config', dir]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('new Sidekiq queue "fasp" in 4.4 (Fediverse Auxiliary Service Provider jobs): no pool consumes it yet; add it to a pool\'s queues in queue-plan.yaml');
      expect(result.stderr).toMatch(/queue-plan\.yaml:\d+:\d+: pools: queue "fasp" .* is not consumed by any pool/);
      expect(instanceText(dir)).toBe(before);
    });

    test('WHEN fasp is in a pool already (a warning on 4.3) THEN written, the queue shown as consumed, and OTP_SECRET named for removal after the sync', async () => {
      const dir = on43(undefined, (t) => t);
      const result = await run(['upgrade', 'v4.4.0', '--config', dir]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('new Sidekiq queue "fasp" in 4.4 (Fediverse Auxiliary Service Provider jobs): consumed by pool "default"');
      expect(result.stdout).toContain('after the upgrade has synced, remove the key OTP_SECRET from Secret mastodon-secrets (namespace mastodon): Mastodon 4.4 no longer reads it');
      // 4.4's end of life is a new warning; 4.3's is not repeated.
      expect(result.stdout).toContain('Mastodon 4.4 gets security fixes only until 2026-12-17');
      expect(result.stdout).not.toContain('Mastodon 4.3 gets security fixes');
      expect(instanceText(dir)).toMatch(/^  version: v4\.4\.0$/m);
    });

    test('WHEN upgraded to 4.4 with REDIS_NAMESPACE set THEN refused with the boot abort, at its line', async () => {
      const dir = on43((t) => replaceOnce(t, '  defaultLocale: en\n', '  defaultLocale: en\n  extraEnv:\n    REDIS_NAMESPACE: mastodon\n'), (t) => t.replace('      fasp: 2\n', ''));
      const result = await run(['upgrade', 'v4.4.0', '--config', dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/instance\.yaml:\d+:\d+: mastodon\.extraEnv\.REDIS_NAMESPACE: REDIS_NAMESPACE was removed in Mastodon 4\.4 and makes every Rails process abort at boot/);
    });

    test('WHEN upgraded to 4.7 THEN it warns that four release lines are crossed', async () => {
      const dir = on43(undefined, (t) => t);
      const result = await run(['upgrade', 'v4.7.2', '--config', dir, '--dry-run']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('v4.3.9 → v4.7.2 crosses 4 release lines (4.4, 4.5, 4.6, 4.7)');
    });
  });

  describe('GIVEN the version in the shared config/defaults/instance.yaml', () => {
    /** config/{a,b}/ without a version of their own, config/defaults/instance.yaml with it (and a comment). */
    function sharedRoot(): string {
      const root = path.join(tempDir(), 'config');
      fs.mkdirSync(path.join(root, 'defaults'), { recursive: true });
      fs.writeFileSync(path.join(root, 'defaults', 'instance.yaml'), '# shared\nmastodon:\n  version: "v4.7.2" # every instance\n');
      for (const id of ['a', 'b']) {
        fs.mkdirSync(path.join(root, id));
        fs.writeFileSync(path.join(root, id, 'instance.yaml'), replaceOnce(EXAMPLE_TEXT, '  version: v4.7.2\n', ''));
        fs.copyFileSync(path.join(EXAMPLE_DIR, 'queue-plan.yaml'), path.join(root, id, 'queue-plan.yaml'));
      }
      return root;
    }

    test('WHEN both instances are upgraded THEN the shared file is written once, quoting and comments kept', async () => {
      const root = sharedRoot();
      const result = await run(['upgrade', 'v4.7.3', '--config', path.join(root, 'a'), '--config', path.join(root, 'b')]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('instance.yaml, the shared defaults)');
      expect(fs.readFileSync(path.join(root, 'defaults', 'instance.yaml'), 'utf8')).toBe('# shared\nmastodon:\n  version: "v4.7.3" # every instance\n');
      expect(instanceText(path.join(root, 'a'))).toBe(replaceOnce(EXAMPLE_TEXT, '  version: v4.7.2\n', ''));
    });

    test('WHEN only one of them is upgraded THEN refused: the file would upgrade the other too', async () => {
      const root = sharedRoot();
      const result = await run(['upgrade', 'v4.7.3', '--config', path.join(root, 'a')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/defaults\/instance\.yaml:1:1: mastodon\.version: this file sets the version of b too; upgrade them together/);
      expect(fs.readFileSync(path.join(root, 'defaults', 'instance.yaml'), 'utf8')).toContain('"v4.7.2"');
    });
  });

  test('GIVEN --instance THEN it picks config/<id>/ under the folder the command runs in; an unknown id is refused, naming the instances there are', async () => {
    const root = tempDir();
    for (const id of ['first', 'second']) fs.cpSync(EXAMPLE_DIR, path.join(root, 'config', id), { recursive: true });
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const unknown = await run(['upgrade', 'v4.7.3', '--instance', 'nope', '--dry-run']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('--instance nope: no such instance; allowed: first, second');
      const one = await run(['upgrade', 'v4.7.3', '--instance', 'second']);
      expect(one).toMatchObject({ code: 0, stderr: '' });
      expect(instanceText(path.join(root, 'config', 'second'))).toMatch(/^  version: v4\.7\.3$/m);
      expect(instanceText(path.join(root, 'config', 'first'))).toBe(EXAMPLE_TEXT);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('replaceScalar (lib/core/yaml-edit.ts)', () => {
  test('GIVEN the example THEN it changes the bytes of the version and nothing else', () => {
    const edited = replaceScalar(EXAMPLE_TEXT, ['mastodon', 'version'], 'v4.7.3') as string;
    expect(edited).toBe(EXAMPLE_TEXT.replace('  version: v4.7.2\n', '  version: v4.7.3\n'));
  });

  test.each([
    ['mastodon: { localDomain: a.b, version: v4.7.2 } # flow\n', 'mastodon: { localDomain: a.b, version: v4.7.3 } # flow\n'],
    ["mastodon:\n  version: 'v4.7.2'\n", "mastodon:\n  version: 'v4.7.3'\n"],
  ])('GIVEN %j THEN the style is kept', (text, expected) => {
    expect(replaceScalar(text, ['mastodon', 'version'], 'v4.7.3')).toBe(expected);
  });

  test('GIVEN no such value THEN undefined; GIVEN a block scalar THEN a YamlEditError', () => {
    expect(replaceScalar('mastodon: {}\n', ['mastodon', 'version'], 'v4.7.3')).toBeUndefined();
    expect(() => replaceScalar('mastodon:\n  version: >-\n    v4.7.2\n', ['mastodon', 'version'], 'v4.7.3')).toThrow(YamlEditError);
    expect(parse(replaceScalar('a: 1\nmastodon:\n  version: v1.0.0\n', ['mastodon', 'version'], 'v1.0.1') as string)).toEqual({ a: 1, mastodon: { version: 'v1.0.1' } });
  });
});

describe('replaceFile (lib/core/replace-file.ts)', () => {
  test('GIVEN a link to a file THEN the file it leads to is replaced, the link and the mode kept, no temporary file left', () => {
    const dir = tempDir();
    const real = path.join(dir, 'real.yaml');
    fs.writeFileSync(real, 'a: 1\n', { mode: 0o640 });
    fs.symlinkSync(real, path.join(dir, 'link.yaml'));
    replaceFile(path.join(dir, 'link.yaml'), 'a: 2\n');
    expect(fs.lstatSync(path.join(dir, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toBe('a: 2\n');
    expect(fs.statSync(real).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(dir).sort()).toEqual(['link.yaml', 'real.yaml']);
  });

  test('GIVEN a missing file THEN a FileError naming it, nothing created', () => {
    const dir = tempDir();
    expect(() => replaceFile(path.join(dir, 'nope.yaml'), 'x')).toThrow(FileError);
    expect(() => replaceFile(path.join(dir, 'nope.yaml'), 'x')).toThrow('nope.yaml: does not exist');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
