import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { secretsIo } from '../../lib/cli/secrets';
import { EXAMPLE_DIR, GATEWAY_EXAMPLE_DIR, exampleAtVersion, exampleVariant, REPO, replaceOnce, runCli as run, tempDir } from '../helpers';

/** `NAME=value` lines as a map, checking that every line has that form (kubectl's --from-env-file). */
function parseEnv(text: string): Map<string, string> {
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  for (const line of lines) expect(line).toMatch(/^[A-Z][A-Z0-9_]*=[A-Za-z0-9_=-]+$/);
  return new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('mastodon-cdk8s secrets generate', () => {
  const realStdoutFile = secretsIo.stdoutFile;
  afterEach(() => { secretsIo.stdoutFile = realStdoutFile; });
  beforeEach(() => { secretsIo.stdoutFile = () => undefined; });

  test('GIVEN the example (v4.7.2) WHEN generated THEN an env block of the six 4.7 secrets on stdout, fresh each time', async () => {
    const first = await run(['secrets', 'generate', '--config', EXAMPLE_DIR]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const values = parseEnv(first.stdout);
    expect([...values.keys()]).toEqual([
      'SECRET_KEY_BASE', 'VAPID_PRIVATE_KEY', 'VAPID_PUBLIC_KEY',
      'ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY', 'ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT', 'ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY',
    ]);
    const second = parseEnv((await run(['secrets', 'generate', '--config', EXAMPLE_DIR])).stdout);
    for (const [name, value] of values) expect(second.get(name)).not.toBe(value);
  });

  test('GIVEN delivery external-secrets WHEN generated as JSON THEN one object of the keys the store holds, without SECRET_KEY_BASE (the cluster generates it), in Mastodon\'s formats', async () => {
    const result = await run(['secrets', 'generate', '--config', GATEWAY_EXAMPLE_DIR, '--format', 'json']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.endsWith('}\n')).toBe(true);
    const values = JSON.parse(result.stdout) as Record<string, string>;
    expect(Object.keys(values)).toEqual([
      'VAPID_PRIVATE_KEY', 'VAPID_PUBLIC_KEY',
      'ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY', 'ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT', 'ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY',
    ]);
    expect(values.ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY).toMatch(/^[A-Za-z0-9]{32}$/);
    expect((await run(['secrets', 'generate', '--config', EXAMPLE_DIR, '--format', 'yaml'])).stderr).toMatch(/--format.*Allowed choices are env, json/);
  });

  test('GIVEN a terminal as standard output THEN nothing is printed and it says how to pipe them', async () => {
    const was = process.stdout.isTTY;
    process.stdout.isTTY = true;
    try {
      const result = await run(['secrets', 'generate', '--config', EXAMPLE_DIR]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('is a terminal, which would keep the secrets in its scrollback; pipe them instead');
      expect(result.stderr).toContain('| kubectl -n mastodon create secret generic mastodon-secrets --from-env-file=/dev/stdin');
    } finally {
      process.stdout.isTTY = was;
    }
  });

  test('GIVEN a 4.3 instance WHEN generated THEN OTP_SECRET too (4.3 reads it at boot)', async () => {
    const dir = exampleVariant({
      instance: (t) => exampleAtVersion(t, 'v4.3.9'),
      queuePlan: (t) => replaceOnce(t, '      fasp: 2\n', ''),
    });
    const result = await run(['secrets', 'generate', '--config', dir]);
    expect(result.code).toBe(0);
    // The configuration's warnings (4.3 is old) go to stderr, never into the env block.
    expect(result.stderr).toMatch(/^warning: .*mastodon\.version/);
    expect(parseEnv(result.stdout).get('OTP_SECRET')).toMatch(/^[0-9a-f]{128}$/);
  });

  test('GIVEN --out inside the repository (even through a missing folder) WHEN generated THEN refused and nothing is written', async () => {
    for (const out of [path.join(REPO, 'secrets.env'), path.join(REPO, 'config', 'new-instance', 'secrets.env'), 'dist/x.env']) {
      const result = await run(['secrets', 'generate', '--config', EXAMPLE_DIR, '--out', out]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`error: --out ${out}: is inside the git repository`);
      expect(fs.existsSync(out)).toBe(false);
    }
  });

  test('GIVEN --out outside the repository WHEN generated THEN a new file of mode 0600, never over an existing one', async () => {
    const out = path.join(tempDir(), 'secrets.env');
    const result = await run(['secrets', 'generate', '--config', EXAMPLE_DIR, '--out', out]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain(`kubectl -n mastodon create secret generic mastodon-secrets --from-env-file=${out}`);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(parseEnv(fs.readFileSync(out, 'utf8')).size).toBe(6);
    const again = await run(['secrets', 'generate', '--config', EXAMPLE_DIR, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });

  test('GIVEN standard output redirected to a file inside the repository WHEN generated THEN refused before anything is printed', async () => {
    secretsIo.stdoutFile = () => path.join(REPO, 'secrets.env');
    const result = await run(['secrets', 'generate', '--config', EXAMPLE_DIR]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('error: standard output');
    expect(result.stderr).toContain('is inside the git repository');
  });

  test('GIVEN no --config and several instances WHEN generated THEN it asks for one', async () => {
    const root = tempDir();
    for (const id of ['one', 'two']) fs.cpSync(EXAMPLE_DIR, path.join(root, 'config', id), { recursive: true });
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const result = await run(['secrets', 'generate']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('2 instances found (one, two); choose one with --config');
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('mastodon-cdk8s secrets generate, the real binary with a shell redirection (standard output read from /proc/self/fd/1)', () => {
  const bin = path.join(REPO, 'bin', 'mastodon-cdk8s.js');
  const runTo = (cwd: string, file: string) => {
    const fd = fs.openSync(file, 'w', 0o600);
    try {
      return spawnSync(process.execPath, [bin, 'secrets', 'generate', '--config', EXAMPLE_DIR], { cwd, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    } finally {
      fs.closeSync(fd);
    }
  };
  const linux = fs.existsSync('/proc/self/fd/1') ? test : test.skip;

  linux('GIVEN > a file inside a git work tree THEN refused and the file stays empty; GIVEN > a file outside any THEN the env block', () => {
    const repo = tempDir();
    fs.mkdirSync(path.join(repo, '.git'));
    const inside = path.join(repo, 'secrets.env');
    const refused = runTo(repo, inside);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('is inside the git repository');
    expect(fs.readFileSync(inside, 'utf8')).toBe('');
    const outside = path.join(tempDir(), 'secrets.env');
    const written = runTo(tempDir(), outside);
    expect(written.stderr).toBe('');
    expect(written.status).toBe(0);
    expect(parseEnv(fs.readFileSync(outside, 'utf8')).size).toBe(6);
  }, 60_000);
});
