import { createECDH } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { encryptionLabel } from '../../lib/catalog/sealed-secrets';
import { secretsIo } from '../../lib/cli/secrets';
import { readSealedSecrets } from '../../lib/config/sealed-secrets';
import { exampleVariant, listTree, REPO, runCli as run, tempDir } from '../helpers';
import { controllerDecrypt, makeSealingKey, TestSealingKey } from '../sealing-keys';

/** An instance folder with the controller's certificate committed beside instance.yaml. */
function instanceWithCert(pair: TestSealingKey): string {
  const dir = exampleVariant();
  fs.writeFileSync(path.join(dir, 'sealed-secrets.pem'), pair.certPem);
  return dir;
}

/** Every key of a committed SealedSecret, unsealed as the controller would (strict scope). */
function unseal(pair: TestSealingKey, dir: string, name: string, namespace = 'mastodon'): Record<string, string> {
  const doc = parse(fs.readFileSync(path.join(dir, 'sealed', namespace, `${name}.yaml`), 'utf8'));
  expect(doc.metadata).toEqual({ name, namespace });
  expect(doc.spec.template.metadata).toEqual({ name, namespace });
  return Object.fromEntries(Object.entries<string>(doc.spec.encryptedData).map(([k, v]) => [k, controllerDecrypt(pair.keyPem, v, encryptionLabel(namespace, name, 'strict')).toString('utf8')]));
}

function urlsafe(value: string): Buffer {
  return Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

describe('mastodon-cdk8s secrets seal', () => {
  const pair = makeSealingKey();
  const real = { ...secretsIo };
  let stdin: string | undefined;
  beforeEach(() => {
    stdin = undefined;
    secretsIo.stdinIsTerminal = () => stdin === undefined;
    secretsIo.readStdin = () => stdin ?? '';
  });
  afterEach(() => Object.assign(secretsIo, real));

  test('GIVEN a new instance and the controller certificate WHEN sealed with no input THEN Mastodon\'s keys and the Dragonfly password are generated and sealed (strict), the rest listed with its command, nothing printed on stdout', async () => {
    const dir = instanceWithCert(pair);
    const result = await run(['secrets', 'seal', '--config', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(Object.keys(listTree(path.join(dir, 'sealed'))).sort()).toEqual(['mastodon/dragonfly-auth.yaml', 'mastodon/mastodon-secrets.yaml']);
    const app = unseal(pair, dir, 'mastodon-secrets');
    expect(Object.keys(app).sort()).toEqual([
      'ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY', 'ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT', 'ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY',
      'SECRET_KEY_BASE', 'VAPID_PRIVATE_KEY', 'VAPID_PUBLIC_KEY',
    ]);
    expect(app.SECRET_KEY_BASE).toMatch(/^[0-9a-f]{128}$/);
    expect(app.ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY).toMatch(/^[A-Za-z0-9]{32}$/);
    // The sealed VAPID keys are one pair: the public key is the private scalar's point.
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(urlsafe(app.VAPID_PRIVATE_KEY));
    expect(ecdh.getPublicKey().equals(urlsafe(app.VAPID_PUBLIC_KEY))).toBe(true);
    expect(unseal(pair, dir, 'dragonfly-auth').password).toMatch(/^[A-Za-z0-9]{32}$/);
    for (const value of [...Object.values(app), unseal(pair, dir, 'dragonfly-auth').password]) expect(result.stderr).not.toContain(value);
    expect(result.stderr).toContain('SECRET_KEY_BASE (generated)');
    expect(result.stderr).toContain('  mastodon/ses-smtp: username, password\n'
      + '    npx mastodon-cdk8s secrets seal --instance variant --secret ses-smtp --from-file ~/.secrets/variant/ses-smtp.env');
    // What synth reads back passes its checks.
    expect(readSealedSecrets(dir).map((s) => s.name)).toEqual(['dragonfly-auth', 'mastodon-secrets']);
  });

  test('GIVEN committed keys WHEN sealed again THEN they stay byte for byte (a key is generated once)', async () => {
    const dir = instanceWithCert(pair);
    await run(['secrets', 'seal', '--config', dir]);
    const before = listTree(path.join(dir, 'sealed'));
    const again = await run(['secrets', 'seal', '--config', dir]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to seal');
    expect(listTree(path.join(dir, 'sealed'))).toEqual(before);
  });

  test('GIVEN a Secret\'s values on standard input WHEN sealed THEN exactly those bytes unseal, other files stay, and no value is printed', async () => {
    const dir = instanceWithCert(pair);
    await run(['secrets', 'seal', '--config', dir]);
    const before = listTree(path.join(dir, 'sealed'));
    stdin = '# SES SMTP credentials\nusername=AKIAEXAMPLEUSER\npassword= pa=ss "quoted" \n';
    const result = await run(['secrets', 'seal', '--config', dir, '--secret', 'ses-smtp']);
    expect(result.code).toBe(0);
    expect(unseal(pair, dir, 'ses-smtp')).toEqual({ username: 'AKIAEXAMPLEUSER', password: ' pa=ss "quoted" ' });
    expect(result.stderr).toContain('ses-smtp.yaml: username (given), password (given)');
    expect(result.stderr).not.toContain('AKIAEXAMPLEUSER');
    expect(result.stderr).not.toContain('pa=ss');
    const after = listTree(path.join(dir, 'sealed'));
    for (const file of Object.keys(before)) expect(after[file]).toBe(before[file]);
  });

  test('GIVEN values addressed <Secret>/<key> in an env file outside the repository THEN each is sealed into its Secret', async () => {
    const dir = instanceWithCert(pair);
    const env = path.join(tempDir(), 'values.env');
    fs.writeFileSync(env, 'mastodon-db/password=db-pass\ndeepl/api-key=deepl-key\n', { mode: 0o600 });
    const result = await run(['secrets', 'seal', '--config', dir, '--from-file', env]);
    expect(result.code).toBe(0);
    expect(unseal(pair, dir, 'mastodon-db')).toEqual({ password: 'db-pass' });
    expect(unseal(pair, dir, 'deepl')).toEqual({ 'api-key': 'deepl-key' });
  });

  test('GIVEN input that is wrong THEN refused without repeating a value, and nothing is written', async () => {
    const dir = instanceWithCert(pair);
    const cases: Array<[string[], string | undefined, string]> = [
      [['--secret', 'ses-smtp'], 'usernme=hunter2\n', 'the instance reads no `ses-smtp/usernme`'],
      [['--secret', 'ses-smtp'], 'hunter2\n', 'standard input, line 1: expected key=value'],
      [[], 'hunter2 hunter3=x\n', "standard input, line 1: the name before '=' is not <Secret>/<key>"],
      [['--secret', 'ses-smtp'], 'password=\n', 'standard input, line 1: password has an empty value'],
      [['--secret', 'nope'], 'password=hunter2\n', '--secret nope: is not a Secret the instance reads'],
      [['--from-file', path.join(REPO, 'values.env')], undefined, 'is inside the git repository'],
      [[], 'mastodon-secrets/VAPID_PRIVATE_KEY=hunter2\n', 'VAPID_PRIVATE_KEY is sealed or given but VAPID_PUBLIC_KEY is not; VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY are one key pair'],
    ];
    for (const [args, input, message] of cases) {
      stdin = input;
      const result = await run(['secrets', 'seal', '--config', dir, ...args]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toContain('hunter2');
      expect(fs.existsSync(path.join(dir, 'sealed'))).toBe(false);
    }
  });

  test('GIVEN a value on the command line THEN refused without repeating it', async () => {
    const dir = instanceWithCert(pair);
    const result = await run(['secrets', 'seal', '--config', dir, 'mastodon-db/password=hunter2']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('too many arguments');
    expect(result.stderr).not.toContain('hunter2');
    expect(fs.existsSync(path.join(dir, 'sealed'))).toBe(false);
  });

  test('GIVEN no certificate, an expired one or a non-RSA one THEN refused with what to do', async () => {
    const dir = exampleVariant();
    const missing = await run(['secrets', 'seal', '--config', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`kubeseal --fetch-cert > ${path.join(dir, 'sealed-secrets.pem')}`);
    secretsIo.now = () => new Date(Date.now() + 20 * 365 * 86400_000);
    const expired = await run(['secrets', 'seal', '--config', dir, '--cert', pair.certFile]);
    expect(expired.stderr).toMatch(/expired on \d{4}-\d\d-\d\d; fetch the current one with `kubeseal --fetch-cert`/);
    secretsIo.now = real.now;
    const ec = await run(['secrets', 'seal', '--config', dir, '--cert', makeSealingKey('ec').certFile]);
    expect(ec.stderr).toContain('holds a ec key');
    expect(fs.existsSync(path.join(dir, 'sealed'))).toBe(false);
  });
});
