import { spawnSync } from 'node:child_process';
import { createECDH } from 'node:crypto';
import { alphanumeric, generateAppSecrets, vapidKeyPair } from '../../lib/app/generate-secrets';
import { appSecretsOf } from '../../lib/catalog/mastodon-releases';
import { APP_SECRET_FORMATS } from '../../lib/catalog/mastodon-secret-formats';
import { describeWithRuby } from '../programs';

/**
 * CONTRACT: `secrets generate` makes Mastodon's application secrets in the formats Mastodon's own
 * tasks make and its code reads (citations in lib/catalog/mastodon-secret-formats.ts):
 * - SECRET_KEY_BASE, OTP_SECRET: `SecureRandom.hex(64)` (glitch-soc/mastodon@v4.3.0
 *   lib/tasks/mastodon.rake:35-37; mjankowski/mastodon@2f40549d41 :47-49);
 * - ACTIVE_RECORD_ENCRYPTION_*: `SecureRandom.alphanumeric(32)` (v4.3.0 lib/tasks/db.rake:13-15,
 *   mjankowski :43-45), and never Rails' placeholder suffix DO_NOT_USE_IN_PRODUCTION;
 * - VAPID_*: mastodon/webpush@9631ac63 lib/webpush/vapid_key.rb:35-37,49-51 with
 *   lib/webpush.rb:57-59: the P-256 scalar and the uncompressed point `04‖X‖Y`, URL-safe base64
 *   with `=` padding. `set_keys!` (vapid_key.rb:82-106) does not check that the two match, so a
 *   mismatched pair would boot and every push would fail: the test proves public = d·G, in Node
 *   and in the real Ruby/OpenSSL along the gem's own code path.
 * 200 pairs per run, so that the 1-in-256 scalars with a leading zero byte are met.
 */

const RUNS = 200;

function urlsafeDecode(value: string): Buffer {
  expect(value).toMatch(/^[A-Za-z0-9_-]*={0,2}$/);
  return Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

describe('CONTRACT Mastodon application secret formats', () => {
  test('GIVEN each release line WHEN generated THEN exactly the secrets it reads: OTP_SECRET on 4.3 only', () => {
    expect(generateAppSecrets('v4.3.9').map(([name]) => name)).toEqual([
      'SECRET_KEY_BASE', 'OTP_SECRET', 'VAPID_PRIVATE_KEY', 'VAPID_PUBLIC_KEY',
      'ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY', 'ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT', 'ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY',
    ]);
    for (const version of ['v4.4.0', 'v4.5.3', 'v4.6.5', 'v4.7.2']) {
      expect(generateAppSecrets(version).map(([name]) => name)).toEqual(appSecretsOf(version).map((s) => s.name));
      expect(generateAppSecrets(version).map(([name]) => name)).not.toContain('OTP_SECRET');
    }
  });

  test('THEN every application secret of every release has a format with a citation', () => {
    for (const version of ['v4.3.0', 'v4.7.2']) {
      for (const { name } of appSecretsOf(version)) expect(APP_SECRET_FORMATS[name]?.source).toMatch(/:\d+/);
    }
  });

  test('GIVEN many generations THEN lengths and alphabets are Mastodon\'s and every value is fresh', () => {
    const seen = new Set<string>();
    for (let i = 0; i < RUNS; i++) {
      const values = new Map(generateAppSecrets('v4.3.9'));
      for (const [name, value] of values) {
        expect(value).toMatch(APP_SECRET_FORMATS[name].pattern);
        expect(seen.has(value)).toBe(false);
        seen.add(value);
      }
      expect(values.get('SECRET_KEY_BASE')).toMatch(/^[0-9a-f]{128}$/);
      expect(values.get('OTP_SECRET')).toMatch(/^[0-9a-f]{128}$/);
      for (const name of ['ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY', 'ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT', 'ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY']) {
        expect(values.get(name)).toMatch(/^[A-Za-z0-9]{32}$/);
        expect(values.get(name)).not.toMatch(/DO_NOT_USE_IN_PRODUCTION$/);
      }
      expect(values.get('VAPID_PRIVATE_KEY')).toHaveLength(44);
      expect(values.get('VAPID_PUBLIC_KEY')).toHaveLength(88);
    }
  });

  test('GIVEN alphanumeric(32) many times THEN every one of the 62 characters appears, and nothing else', () => {
    const chars = new Set([...Array.from({ length: 400 }, () => alphanumeric(32)).join('')]);
    expect([...chars].sort().join('')).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
  });

  test('GIVEN VAPID pairs WHEN parsed back THEN the private key is a 32-byte scalar and the public key is its uncompressed point d·G', () => {
    for (let i = 0; i < RUNS; i++) {
      const { privateKey, publicKey } = vapidKeyPair();
      const d = urlsafeDecode(privateKey);
      const point = urlsafeDecode(publicKey);
      expect(d).toHaveLength(32);
      expect(point).toHaveLength(65);
      expect(point[0]).toBe(4);
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(d);
      expect(ecdh.getPublicKey().equals(point)).toBe(true);
    }
  });
});

const rubySuite = describeWithRuby('require "openssl"; require "base64"', 'apt-get install ruby');

/**
 * mastodon/webpush@9631ac63's read path, line for line: `Webpush.decode64` (lib/webpush.rb:61-67),
 * `to_big_num` (vapid_key.rb:110-112) and `set_keys!` (vapid_key.rb:82-106), then the checks the
 * gem leaves out: the point is on the curve and is d·G, and an ES256 signature (the VAPID JWT's
 * algorithm) made with the key verifies with the public key alone.
 */
const RUBY_SET_KEYS = `
require 'openssl'
require 'base64'
def decode64(str)
  str = str.ljust((str.length + 3) & ~3, '=') if !str.end_with?('=') && str.length % 4 != 0
  Base64.urlsafe_decode64(str)
end
group = OpenSSL::PKey::EC::Group.new('prime256v1')
ok = 0
STDIN.each_line do |line|
  public_key, private_key = line.split
  point = OpenSSL::PKey::EC::Point.new(group, OpenSSL::BN.new(decode64(public_key), 2))
  d = OpenSSL::BN.new(decode64(private_key), 2)
  asn1 = OpenSSL::ASN1::Sequence([
    OpenSSL::ASN1::Integer.new(1),
    OpenSSL::ASN1::OctetString(d.to_s(2)),
    OpenSSL::ASN1::ObjectId('prime256v1', 0, :EXPLICIT),
    OpenSSL::ASN1::BitString(point.to_octet_string(:uncompressed), 1, :EXPLICIT),
  ])
  curve = OpenSSL::PKey::EC.new(asn1.to_der)
  raise 'not on the curve' unless point.on_curve?
  raise 'public key is not d*G' unless group.generator.mul(d) == point
  raise 'the private key changed' unless curve.private_key == d
  signature = curve.sign('SHA256', 'vapid')
  verifier = OpenSSL::PKey::EC.new(OpenSSL::ASN1::Sequence([
    OpenSSL::ASN1::Sequence([OpenSSL::ASN1::ObjectId('id-ecPublicKey'), OpenSSL::ASN1::ObjectId('prime256v1')]),
    OpenSSL::ASN1::BitString(decode64(public_key)),
  ]).to_der)
  raise 'signature does not verify' unless verifier.verify('SHA256', signature, 'vapid')
  ok += 1
end
puts ok
`;

rubySuite('CONTRACT mastodon/webpush@9631ac63 lib/webpush/vapid_key.rb:82-112: Ruby/OpenSSL reads the generated VAPID pairs as the gem does', () => {
  test('GIVEN generated pairs WHEN read by set_keys! THEN each is a valid P-256 key whose public point is d·G and which signs', () => {
    const pairs = Array.from({ length: RUNS }, () => vapidKeyPair());
    const result = spawnSync('ruby', ['-e', RUBY_SET_KEYS], { input: pairs.map((p) => `${p.publicKey} ${p.privateKey}\n`).join(''), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(String(RUNS));
  });

  test('GIVEN a mismatched pair (the private key of one, the public key of another) THEN the check fails, so it can fail', () => {
    const [a, b] = [vapidKeyPair(), vapidKeyPair()];
    const result = spawnSync('ruby', ['-e', RUBY_SET_KEYS], { input: `${a.publicKey} ${b.privateKey}\n`, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/public key is not d\*G|signature does not verify/);
  });
});
