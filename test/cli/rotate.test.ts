import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { encryptionLabel } from '../../lib/catalog/sealed-secrets';
import { secretsIo } from '../../lib/cli/secrets';
import { exampleAtVersion, exampleVariant, replaceOnce, runCli as run } from '../helpers';
import { controllerDecrypt, makeSealingKey } from '../sealing-keys';

/**
 * `secrets rotate`: what each secret costs to replace, read in Mastodon's source
 * (mjankowski/mastodon@2f40549d41, cited in lib/catalog/secret-rotation.ts), refused where data is lost.
 */
describe('mastodon-cdk8s secrets rotate', () => {
  const pair = makeSealingKey();
  const real = { ...secretsIo };
  beforeEach(() => {
    secretsIo.stdoutFile = () => undefined;
    secretsIo.stdinIsTerminal = () => true;
  });
  afterEach(() => Object.assign(secretsIo, real));

  function sealedInstance(): string {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'secrets:\n  name: mastodon-secrets\n', 'secrets:\n  name: mastodon-secrets\n  delivery: sealed-secrets\n') });
    fs.writeFileSync(path.join(dir, 'sealed-secrets.pem'), pair.certPem);
    return dir;
  }
  const sealedFile = (dir: string, name: string) => parse(fs.readFileSync(path.join(dir, 'sealed', 'mastodon', `${name}.yaml`), 'utf8'));
  const unsealed = (dir: string, name: string, key: string) =>
    controllerDecrypt(pair.keyPem, sealedFile(dir, name).spec.encryptedData[key], encryptionLabel('mastodon', name, 'strict')).toString();

  test.each([
    ['ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY', ['refused: replacing mastodon-secrets/ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY loses data.', 'two-factor (TOTP) secrets', 'app/models/keypair.rb:25', 'lib/tasks/db.rake:26-27,42 "Do NOT change these variables once they are set"']],
    ['ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY', ['loses data', 'keypairs']],
    ['ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT', ['loses data', 'no previous-key list']],
    ['backup-encryption/salt', ['refused: replacing backup-encryption/salt loses data.', 'every backup written so far can only be decrypted with the old password and salt']],
    ['RCLONE_CONFIG_VAULT_PASSWORD', ['refused: replacing backup-encryption/password loses data.']],
  ])('GIVEN %s WHEN rotated THEN refused with what is lost and what to do instead, nothing written', async (name, messages) => {
    const dir = sealedInstance();
    const result = await run(['secrets', 'rotate', name, '--config', dir, '--force']);
    expect(result.code).toBe(1);
    for (const m of messages) expect(result.stderr).toContain(m);
    expect(result.stderr).toContain('Instead: ');
    expect(result.stderr).toContain('To replace it anyway, accepting that loss: --accept-data-loss');
    expect(fs.existsSync(path.join(dir, 'sealed'))).toBe(false);
  });

  test('GIVEN OTP_SECRET on 4.3 WHEN rotated THEN refused with Mastodon\'s own procedure (MIGRATION_IGNORE_INVALID_OTP_SECRET)', async () => {
    const dir = exampleVariant({ instance: (t) => exampleAtVersion(t, 'v4.3.9'), queuePlan: (t) => replaceOnce(t, '      fasp: 2\n', '') });
    const result = await run(['secrets', 'rotate', 'OTP_SECRET', '--config', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refused: replacing mastodon-secrets/OTP_SECRET loses data.');
    expect(result.stderr).toContain('the post-deployment migration 20240307180905');
    expect(result.stderr).toContain('`MIGRATION_IGNORE_INVALID_OTP_SECRET=true`');
    expect(result.stderr).toContain('db/post_migrate/20240307180905_migrate_devise_two_factor_secrets.rb:82-93');
  });

  test('GIVEN SECRET_KEY_BASE without --force THEN the cost is spelled out and nothing changes', async () => {
    const dir = sealedInstance();
    const result = await run(['secrets', 'rotate', 'SECRET_KEY_BASE', '--config', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('everyone is signed out of the web interface');
    expect(result.stderr).toContain('Apps keep working: OAuth access tokens are stored in the database');
    expect(result.stderr).toContain('kubectl -n mastodon rollout restart deployment -l app.kubernetes.io/instance=variant');
    expect(result.stderr).toContain('Nothing was changed; to go on, run it again with --force');
  });

  test('GIVEN sealed-secrets WHEN SECRET_KEY_BASE is rotated with --force THEN only that key is sealed anew', async () => {
    const dir = sealedInstance();
    await run(['secrets', 'seal', '--config', dir]);
    const before = sealedFile(dir, 'mastodon-secrets').spec.encryptedData;
    const oldValue = unsealed(dir, 'mastodon-secrets', 'SECRET_KEY_BASE');
    const result = await run(['secrets', 'rotate', 'SECRET_KEY_BASE', '--config', dir, '--force']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const after = sealedFile(dir, 'mastodon-secrets').spec.encryptedData;
    for (const key of Object.keys(before)) expect(after[key] === before[key]).toBe(key !== 'SECRET_KEY_BASE');
    const newValue = unsealed(dir, 'mastodon-secrets', 'SECRET_KEY_BASE');
    expect(newValue).toMatch(/^[0-9a-f]{128}$/);
    expect(newValue).not.toBe(oldValue);
    expect(result.stderr).not.toContain(newValue);
    expect(result.stderr).toContain('sealed new SECRET_KEY_BASE into');
  });

  test('GIVEN sealed-secrets WHEN VAPID is rotated THEN the pair is replaced together, with the push-subscription cost', async () => {
    const dir = sealedInstance();
    await run(['secrets', 'seal', '--config', dir]);
    const before = sealedFile(dir, 'mastodon-secrets').spec.encryptedData;
    const result = await run(['secrets', 'rotate', 'VAPID_PUBLIC_KEY', '--config', dir, '--force']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('every web-push subscription becomes invalid');
    const after = sealedFile(dir, 'mastodon-secrets').spec.encryptedData;
    expect(Object.keys(after).filter((k) => after[k] !== before[k]).sort()).toEqual(['VAPID_PRIVATE_KEY', 'VAPID_PUBLIC_KEY']);
  });

  test('GIVEN the Dragonfly password WHEN rotated THEN the Redis outage and both restarts are spelled out', async () => {
    const dir = sealedInstance();
    await run(['secrets', 'seal', '--config', dir]);
    const result = await run(['secrets', 'rotate', 'REDIS_PASSWORD', '--config', dir, '--force']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Redis is unavailable to Mastodon');
    expect(result.stderr).toContain('kubectl -n mastodon delete pod -l app.kubernetes.io/name=dragonfly,mastodon-cdk8s.io/instance=variant');
    expect(unsealed(dir, 'dragonfly-auth', 'password')).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  test('GIVEN manual delivery WHEN rotated THEN a merge patch of just that key on stdout, with the kubectl pipe', async () => {
    const dir = exampleVariant();
    const result = await run(['secrets', 'rotate', 'SECRET_KEY_BASE', '--config', dir, '--force']);
    expect(result.code).toBe(0);
    const patch = JSON.parse(result.stdout);
    expect(Object.keys(patch.stringData)).toEqual(['SECRET_KEY_BASE']);
    expect(patch.stringData.SECRET_KEY_BASE).toMatch(/^[0-9a-f]{128}$/);
    expect(result.stderr).toContain('| kubectl -n mastodon patch secret mastodon-secrets --type merge --patch-file /dev/stdin');
    expect(result.stderr).not.toContain(patch.stringData.SECRET_KEY_BASE);
  });

  test('GIVEN a provider\'s credential or an unknown name THEN it says where it is rotated, or what can be named', async () => {
    const dir = sealedInstance();
    const smtp = await run(['secrets', 'rotate', 'SMTP_PASSWORD', '--config', dir, '--force']);
    expect(smtp.code).toBe(1);
    expect(smtp.stderr).toContain('ses-smtp/password is issued by its provider, not made here: rotate it there');
    const unknown = await run(['secrets', 'rotate', 'NOPE', '--config', dir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('the instance reads no secret `NOPE`; one of: ');
    expect(unknown.stderr).toContain('SECRET_KEY_BASE');
  });
});

describe('mastodon-cdk8s secrets rotate under external-secrets', () => {
  const real = { ...secretsIo };
  beforeEach(() => { secretsIo.stdoutFile = () => undefined; });
  afterEach(() => Object.assign(secretsIo, real));
  // The example with external-secrets from a ClusterSecretStore (SECRET_KEY_BASE generated in the cluster).
  const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'secrets:\n  name: mastodon-secrets\n',
    'secrets:\n  name: mastodon-secrets\n  delivery: external-secrets\n  externalSecrets:\n    store: { kind: ClusterSecretStore, name: vault }\n') }, 'eso');

  test('GIVEN a key ESO generates in the cluster THEN delete its Secret, and ESO makes a new value', async () => {
    const result = await run(['secrets', 'rotate', 'SECRET_KEY_BASE', '--config', dir, '--force']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('is generated in the cluster by the External Secrets Operator');
    expect(result.stderr).toMatch(/kubectl -n \S+ delete secret mastodon-secrets/);
  });

  test('GIVEN a store key THEN the new pair as JSON on stdout for the store, at its remote key', async () => {
    const result = await run(['secrets', 'rotate', 'VAPID_PRIVATE_KEY', '--config', dir, '--force']);
    expect(result.code).toBe(0);
    expect(Object.keys(JSON.parse(result.stdout)).sort()).toEqual(['VAPID_PRIVATE_KEY', 'VAPID_PUBLIC_KEY']);
    expect(result.stderr).toContain('write them to the store at mastodon-cdk8s/eso/mastodon-secrets (properties VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY)');
    // Its ExternalSecret also generates SECRET_KEY_BASE, so it refreshes once (CreatedOnce): only a new Secret reads the store.
    expect(result.stderr).not.toContain('within refreshInterval');
    expect(result.stderr).toContain('The ExternalSecret mastodon-secrets refreshes once, because it also generates SECRET_KEY_BASE: ESO does not read the store for it again.');
    expect(result.stderr).toMatch(/delete the Secret \(kubectl -n \S+ delete secret mastodon-secrets\); ESO makes it again from the store and generates new SECRET_KEY_BASE, which signs everyone out\./);
  });
});
