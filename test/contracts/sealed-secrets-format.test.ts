import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encryptionLabel, SCOPE_ANNOTATIONS, sealingKeyOf, sealValue, SealingCertError, SealingScope } from '../../lib/catalog/sealed-secrets';
import { tempDir } from '../helpers';
import { describeWithRuby } from '../programs';
import { controllerDecrypt, makeSealingKey } from '../sealing-keys';

/**
 * CONTRACT: a value sealed here is what the Sealed Secrets controller v0.36.6 unseals
 * (bitnami-labs/sealed-secrets@v0.36.6):
 * - pkg/crypto/crypto.go:32-73 `HybridEncrypt` / :87-124 `singleDecrypt`: length (2 bytes BE) ‖
 *   RSA-OAEP(SHA-256, label)(session key) ‖ AES-256-GCM(zero nonce)(value) with the tag last;
 * - pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go:90-104 `EncryptionLabel`: the label
 *   is `<namespace>/<name>` (strict), `<namespace>` (namespace-wide) or empty (cluster-wide), and
 *   :270-274 the controller unseals with the label of the SealedSecret it reads, so a value moved
 *   to another name or namespace does not decrypt;
 * - :244-258 each key is sealed on its own and stored in standard base64;
 * - pkg/kubeseal/kubeseal.go:42-68 `ParseKey`: the certificate must hold an RSA key and not be expired.
 * Decrypted by the controller's algorithm written again in the test (test/sealing-keys.ts) and by
 * Ruby's OpenSSL, whose OAEP takes the label and MGF1 digest explicitly.
 */

const NAMESPACE = 'mastodon';
const NAME = 'mastodon-secrets';

describe('CONTRACT Sealed Secrets v0.36.6 value format', () => {
  const pair = makeSealingKey();
  const { key } = sealingKeyOf(pair.certPem, new Date());

  test('GIVEN each scope THEN the label is the one EncryptionLabel gives', () => {
    expect(encryptionLabel(NAMESPACE, NAME, 'strict').toString()).toBe('mastodon/mastodon-secrets');
    expect(encryptionLabel(NAMESPACE, NAME, 'namespace-wide').toString()).toBe('mastodon');
    expect(encryptionLabel(NAMESPACE, NAME, 'cluster-wide')).toEqual(Buffer.alloc(0));
    expect(SCOPE_ANNOTATIONS).toEqual({
      'namespace-wide': 'sealedsecrets.bitnami.com/namespace-wide',
      'cluster-wide': 'sealedsecrets.bitnami.com/cluster-wide',
    });
  });

  test.each<SealingScope>(['strict', 'namespace-wide', 'cluster-wide'])('GIVEN a value sealed for the %s scope WHEN the controller decrypts it with that label THEN it is the value, byte for byte', (scope) => {
    const label = encryptionLabel(NAMESPACE, NAME, scope);
    for (const value of ['a', 'x'.repeat(4096), '\u00e9\u{1F418} with = and \n newline', '']) {
      const plain = Buffer.from(value);
      expect(controllerDecrypt(pair.keyPem, sealValue(key, label, plain), label)).toEqual(plain);
    }
  });

  test('THEN the length prefix is the RSA modulus size and every sealing is fresh', () => {
    const label = encryptionLabel(NAMESPACE, NAME, 'strict');
    const a = Buffer.from(sealValue(key, label, Buffer.from('same')), 'base64');
    const b = Buffer.from(sealValue(key, label, Buffer.from('same')), 'base64');
    const modulusBytes = (createPublicKey(pair.certPem).asymmetricKeyDetails?.modulusLength ?? 0) / 8;
    expect(a.readUInt16BE(0)).toBe(modulusBytes);
    // length ‖ RSA ‖ 4 bytes of ciphertext ‖ 16 bytes of tag
    expect(a.length).toBe(2 + modulusBytes + 4 + 16);
    expect(a.equals(b)).toBe(false);
    expect(sealValue(key, label, Buffer.from('same'))).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
  });

  test('GIVEN a strict value WHEN unsealed for another name, another namespace or another scope THEN decryption fails', () => {
    const sealed = sealValue(key, encryptionLabel(NAMESPACE, NAME, 'strict'), Buffer.from('s3cret'));
    for (const label of [
      encryptionLabel(NAMESPACE, 'other', 'strict'),
      encryptionLabel('other', NAME, 'strict'),
      encryptionLabel(NAMESPACE, NAME, 'namespace-wide'),
      encryptionLabel(NAMESPACE, NAME, 'cluster-wide'),
    ]) {
      expect(() => controllerDecrypt(pair.keyPem, sealed, label)).toThrow();
    }
  });

  test('GIVEN a sealed value with one byte changed THEN GCM refuses it', () => {
    const bytes = Buffer.from(sealValue(key, encryptionLabel(NAMESPACE, NAME, 'strict'), Buffer.from('s3cret')), 'base64');
    bytes[bytes.length - 20] ^= 1;
    expect(() => controllerDecrypt(pair.keyPem, bytes.toString('base64'), encryptionLabel(NAMESPACE, NAME, 'strict'))).toThrow();
  });

  test('GIVEN another controller key THEN the value does not decrypt', () => {
    const other = makeSealingKey();
    const sealed = sealValue(key, encryptionLabel(NAMESPACE, NAME, 'strict'), Buffer.from('s3cret'));
    expect(() => controllerDecrypt(other.keyPem, sealed, encryptionLabel(NAMESPACE, NAME, 'strict'))).toThrow();
  });

  test('GIVEN certificates kubeseal refuses THEN they are refused with the reason, as ParseKey does', () => {
    const { notAfter } = sealingKeyOf(pair.certPem, new Date());
    expect(() => sealingKeyOf(pair.certPem, new Date(notAfter.getTime() + 1000))).toThrow(new SealingCertError(`expired on ${notAfter.toISOString().slice(0, 10)}; fetch the current one with \`kubeseal --fetch-cert\``));
    expect(() => sealingKeyOf(makeSealingKey('ec').certPem, new Date())).toThrow(/holds a ec key; the Sealed Secrets controller's certificate holds an RSA key/);
    expect(() => sealingKeyOf(pair.keyPem, new Date())).toThrow(/is not a PEM certificate/);
    expect(() => sealingKeyOf('', new Date())).toThrow(/is not a PEM certificate/);
  });
});

describeWithRuby('require "openssl"; OpenSSL::PKey::RSA.new(512).decrypt("", "rsa_padding_mode" => "oaep") rescue exit(OpenSSL::PKey::PKeyError === $! ? 0 : 1)', 'apt-get install ruby')(
  'CONTRACT Sealed Secrets value format, decrypted by Ruby/OpenSSL',
  () => {
    test('GIVEN values sealed for each scope WHEN OpenSSL decrypts them as singleDecrypt does THEN they are the values, and a wrong label fails', () => {
      const pair = makeSealingKey();
      const { key } = sealingKeyOf(pair.certPem, new Date());
      const cases = (['strict', 'namespace-wide', 'cluster-wide'] as const).map((scope, i) => {
        const label = encryptionLabel(NAMESPACE, NAME, scope);
        return { label: label.toString('hex'), value: `value ${i} \u00e9`, sealed: sealValue(key, label, Buffer.from(`value ${i} \u00e9`)) };
      });
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'cases.json'), JSON.stringify(cases));
      // crypto.go:92-118 in Ruby: split at the length prefix, OAEP(SHA-256, MGF1 SHA-256, label), GCM with a zero nonce.
      const script = `
        require "openssl"; require "json"; require "base64"
        key = OpenSSL::PKey.read(File.read(ARGV[0]))
        def unseal(key, sealed, label)
          bytes = Base64.strict_decode64(sealed)
          n = bytes[0, 2].unpack1("n")
          opts = { "rsa_padding_mode" => "oaep", "rsa_oaep_md" => "sha256", "rsa_mgf1_md" => "sha256" }
          # EVP_PKEY_CTX_ctrl_str takes the label in hex
          opts["rsa_oaep_label"] = label.unpack1("H*") unless label.empty?
          session = key.decrypt(bytes[2, n], opts)
          aes = bytes[(2 + n)..]
          c = OpenSSL::Cipher.new("aes-256-gcm").decrypt
          c.key = session; c.iv = "\\0" * 12; c.auth_tag = aes[-16..]
          (c.update(aes[0...-16]) + c.final).force_encoding("UTF-8")
        end
        out = JSON.parse(File.read(ARGV[1])).map do |t|
          label = [t["label"]].pack("H*")
          wrong = begin; unseal(key, t["sealed"], label + "x"); "decrypted"; rescue OpenSSL::PKey::PKeyError, OpenSSL::Cipher::CipherError; "refused"; end
          { "value" => unseal(key, t["sealed"], label), "wrongLabel" => wrong }
        end
        puts JSON.generate(out)`;
      const run = spawnSync('ruby', ['-e', script, pair.keyFile, path.join(dir, 'cases.json')], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual(cases.map((c) => ({ value: c.value, wrongLabel: 'refused' })));
    });
  },
);
