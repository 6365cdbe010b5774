import fc from 'fast-check';
import { detectCredential, findCredential, mask, mayHoldCredential } from '../../lib/core/credentials';
import { show } from '../../lib/core/show';
import { exampleVariant, loadExample, problemsOf, replaceOnce } from '../helpers';
import { numRuns, seed } from '../fuzz/mutations';

/** Credentials of each kind the detector knows, each with the part that must never be echoed. */
const CREDENTIALS: readonly [string, string, string][] = [
  ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
  ['a Stripe key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
  ['a Slack token', 'xoxb-2048-1024-Zx8bq0sdEXAMPLEtoken', 'xoxb-2048-1024-Zx8bq0sdEXAMPLEtoken'],
  ['a GitHub token', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
  ['a DeepL API key', 'f63c02c5-f056-4f8e-9a4a-3a6b2f7c1e1d:fx', 'f63c02c5-f056-4f8e-9a4a-3a6b2f7c1e1d:fx'],
  ['a PEM or PGP block', '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA0Z3\n-----END RSA PRIVATE KEY-----', 'MIIEpAIBAAKCAQEA0Z3'],
  ['a JSON Web Token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['a password in a URL', 'https://bob:hunter2hunter2@git.example.social/ops.git', 'hunter2hunter2'],
  ['a credential in a URL parameter', 'https://translate.example.social/api?api_key=0f1e2d3c4b5a6978&lang=de', '0f1e2d3c4b5a6978'],
  ['a credential in a URL parameter', 'https://hooks.example.social/x?token=s3cr3t-v4lue', 's3cr3t-v4lue'],
  ['a random hex key', '4f9c1a7e2b3d5c6e8f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c', '4f9c1a7e2b3d5c6e8f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c'],
  ['a random-looking token', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
];

/** Ordinary values of an instance config, which must never be taken for a credential. */
const ORDINARY = [
  'example.social', 'private-example-db-do-user-0000000-0.f.db.ondigitalocean.com', 'https://nyc3.digitaloceanspaces.com', 'example-social-media',
  'cdn.example.social', 'https://s3.us-west-004.backblazeb2.com', 'us-west-004', 'ghcr.io/mastodon/mastodon:v4.7.2', 'v4.7.2', 'v4.7.2-rc.1',
  'docker.dragonflydb.io/dragonflydb/dragonfly:v1.34.2', 'ghcr.io/mastodon/mastodon@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  'https://github.com/example/mastodon-gitops.git', 'git@github.com:example/mastodon-gitops.git', 'ssh://git@github.com/example/mastodon-gitops.git',
  '3f786850e387550fdab836ed7e6dc881de23001b', 'main', 'HEAD', 'Example Social <notifications@example.social>', 'admin@example.social',
  'redis://:$(REDIS_PASSWORD)@dragonfly-mastodon:6379/0', 'postgres://mastodon:$(DB_PASS)@db:5432/mastodon', '0 */6 * * *', 'email-smtp.us-east-1.amazonaws.com',
  'https://private-example-search-do-user-0000000-0.f.db.ondigitalocean.com', 'mastodon-secrets', 'secret-access-key', 'ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY',
  'app.kubernetes.io/instance', 'MastodonSidekiqSchedulerDeployment2025', 'https://example.social/api/v1/timelines/public?local=true&limit=40',
  'f63c02c5-f056-4f8e-9a4a-3a6b2f7c1e1d', '10.0.0.0/8', 'letsencrypt-production-example', 'Europe/Berlin', 'https://example.social/@admin?key=',
];

describe('credentials in values are found whatever their name', () => {
  test.each(CREDENTIALS)('GIVEN %s THEN it is found and masked without its body', (kind, value, secret) => {
    const match = findCredential(value);
    expect(match?.kind).toBe(kind);
    expect(match?.masked).toMatch(/^[^]{2}… \(\d+ characters\)$/);
    expect(show(value)).not.toContain(secret);
  });

  test.each(ORDINARY)('GIVEN the ordinary value %s THEN it is not taken for a credential', (value) => {
    expect(findCredential(value)).toBeUndefined();
    expect(show(value)).toBe(JSON.stringify(value));
  });

  test('GIVEN the example config THEN nothing in it is taken for a credential', () => {
    expect(() => loadExample()).not.toThrow();
  });

  /**
   * Pieces of values: ordinary ones, every detector's anchor (in lower case wherever its format
   * allows) and runs of its alphabet, and any character.
   */
  const piece = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('tenant', 'mastodon', 'web', 'example', 'social', '0', '001', 'v4.7.2', '-', '.', '/', ':', ' ', '\n', '_', '@', '=', '?', '&', '#', ';', '+', '//') },
    { weight: 3, arbitrary: fc.constantFrom('AKIA', 'ASIA', 'sk_live_', 'rk_test_', 'pk_', 'xoxb-', 'xoxp-', 'ghp_', 'gho_', 'github_pat_', 'glpat-', 'dop_v1_', 'AIza', 'SG.', ':fx', '-----BEGIN ', 'PRIVATE KEY-----', '-----END ', 'eyJ', 'https://', 'u:p@', '$(DB_PASS)', '?api_key=', '&token=', 'sha256:') },
    { weight: 3, arbitrary: fc.constantFrom('abcdefghijklmnopqrstuvwxyz0123456789', '0123456789abcdef', '0123456789ABCDEF', 'deadbeefcafe', 'f63c02c5-f056-4f8e-9a4a-3a6b2f7c1e1d', 'Zq8', 'wJalrXUtnFEMI', 'K7MDENG') },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 4, unit: 'grapheme-ascii' }) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 3, unit: 'binary' }) },
  );
  const value = fc.array(piece, { minLength: 1, maxLength: 12 }).map((pieces) => pieces.join(''));

  test('GIVEN any value that the shortcut rules out THEN no detector finds anything in it, and findCredential is the detectors where it does not', () => {
    let found = 0;
    const runs = numRuns(20_000);
    fc.assert(fc.property(value, (v) => {
      const detected = detectCredential(v);
      if (detected) found += 1;
      if (!mayHoldCredential(v)) expect(v.length < 8 || detected === undefined).toBe(true);
      else expect(findCredential(v)).toEqual(detected);
    }), { numRuns: runs, seed: seed() });
    // Not vacuous: the pieces make credentials of every kind now and then.
    expect(found).toBeGreaterThan(runs / 10);
  });

  test.each(CREDENTIALS)('GIVEN %s THEN the shortcut lets it through', (_, value) => {
    expect(mayHoldCredential(value)).toBe(true);
  });

  test('GIVEN a value of 40 characters THEN the masked form keeps 2 and says how long it was', () => {
    expect(mask('ghp_16C7e42F292c6912E7710c838347Ae178B4a')).toBe('gh… (40 characters)');
  });
});

describe('a credential pasted into instance.yaml is refused at its line, never repeated', () => {
  const why = 'this file is committed to Git and its values are written to rendered files; allowed: a Secret reference { name, key } in the typed setting (dist/<instance>/SECRETS.md lists what the cluster must hold), and in a URL the password as $(VAR) of a Secret-backed variable';

  test('GIVEN credentials in argocd.repoURL THEN the config line is named, not the rendered Applications', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'repoURL: https://github.com/example', 'repoURL: https://bob:hunter2hunter2@github.com/example') });
    expect(problemsOf(dir)).toEqual([`instance.yaml:90:12: argocd.repoURL: holds what looks like a password in a URL (hu… (14 characters), at character 13 of the value); ${why}`]);
  });

  test('GIVEN an API key under a harmless extraEnv name THEN it is refused without echoing it', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  defaultLocale: en\n', '  defaultLocale: en\n  extraEnv:\n    MY_WEBHOOK: "https://hooks.example.social/x?api_key=0f1e2d3c4b5a6978"\n') });
    const problems = problemsOf(dir);
    expect(problems).toEqual([`instance.yaml:16:17: mastodon.extraEnv.MY_WEBHOOK: holds what looks like a credential in a URL parameter (0f… (16 characters), at character 40 of the value); ${why}`]);
    expect(problems.join('\n')).not.toContain('0f1e2d3c4b5a6978');
  });

  test('GIVEN a connection string with its password pasted as database.host THEN neither message repeats the password', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, /host: private-example-db\S+/, 'host: postgres://doadmin:AVNS_x7Rk2pQ9vLmN4tWz@db.example.ondigitalocean.com:25060/defaultdb') });
    const problems = problemsOf(dir);
    expect(problems).toEqual([
      `instance.yaml:27:9: database.host: holds what looks like a password in a URL (AV… (21 characters), at character 20 of the value); ${why}`,
      'instance.yaml:27:9: database.host: "postgres://doadmin:‹AV… (21 characters)›@db.example.ondigitalocean.com:25060/defaultdb" is not allowed; allowed: a host name such as social.example.com (no scheme, no port, no path)',
    ]);
    expect(problems.join('\n')).not.toContain('AVNS_x7Rk2pQ9vLmN4tWz');
  });

  test('GIVEN a token as an unknown field\'s name THEN the name is masked too', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  defaultLocale: en\n', '  defaultLocale: en\n  AKIAIOSFODNN7EXAMPLE: x\n') });
    const problems = problemsOf(dir);
    expect(problems[0]).toBe(`instance.yaml:15:3: mastodon.‹AK… (20 characters)›: holds what looks like an AWS access key id (AK… (20 characters)); ${why}`);
    expect(problems.join('\n')).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  test('GIVEN a URL with a password as a key defined twice THEN the duplicate-key message masks it (found by npm run fuzz)', () => {
    const key = 'https://admin:AAAAAAAAAAAA@example.social/x';
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  defaultLocale: en\n', `  defaultLocale: en\n  ${key}: 1\n  ${key}: 2\n`) });
    const problems = problemsOf(dir);
    expect(problems[0]).toMatch(/^instance\.yaml:16:3: .*the key "https:\/\/admin:‹AA… \(12 characters\)›@example\.social\/x" is defined twice in this map \(first at line 15\); each key may appear once$/);
    expect(problems.join('\n')).not.toContain('AAAAAAAAAAAA');
  });

  test('GIVEN a password typed in where a Secret reference belongs THEN the message masks it, whatever it looks like', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  password: { name: mastodon-db, key: password }\n', '  password: hunter2horse\n') });
    const problems = problemsOf(dir);
    expect(problems).toEqual(['instance.yaml:29:13: database.password: a string (hu… (12 characters)) is not allowed: must be object']);
    expect(problems.join('\n')).not.toContain('hunter2horse');
  });
});
