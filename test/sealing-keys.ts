import { spawnSync } from 'node:child_process';
import { createDecipheriv, createPrivateKey, constants, privateDecrypt } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './helpers';
import { keyOf, runCached } from './run-cache';

/**
 * A throw-away key pair and self-signed certificate like the Sealed Secrets controller's (RSA,
 * CN sealed-secret), made by the openssl program for each test run and never committed.
 */
export interface TestSealingKey {
  readonly certPem: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly keyPem: string;
}

/** How many keys of each algorithm this test file has made: each call gets a key of its own. */
const made = { rsa: 0, ec: 0 };

/**
 * A key pair of its own for each call in a test file; the test files of one run share them, by
 * the order of their calls (test/run-cache.ts), since generating an RSA key costs openssl a tenth
 * of a second or more. No test compares keys across files, so which file made a key, and whether
 * two files racing to make the same one end up with the same, does not matter.
 */
export function makeSealingKey(algorithm: 'rsa' | 'ec' = 'rsa'): TestSealingKey {
  const { certPem, keyPem } = runCached(keyOf('sealing-key', algorithm, String(made[algorithm]++)), () => newSealingKey(algorithm));
  const dir = tempDir();
  const keyFile = path.join(dir, 'tls.key');
  const certFile = path.join(dir, 'tls.crt');
  fs.writeFileSync(keyFile, keyPem, { mode: 0o600 });
  fs.writeFileSync(certFile, certPem);
  return { certFile, keyFile, certPem, keyPem };
}

function newSealingKey(algorithm: 'rsa' | 'ec'): { certPem: string; keyPem: string } {
  const dir = tempDir();
  const keyFile = path.join(dir, 'tls.key');
  const certFile = path.join(dir, 'tls.crt');
  const newkey = algorithm === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  const run = spawnSync('openssl', ['req', '-x509', ...newkey, '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '3650', '-subj', '/CN=sealed-secret'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl req failed: ${run.stderr}`);
  return { certPem: fs.readFileSync(certFile, 'utf8'), keyPem: fs.readFileSync(keyFile, 'utf8') };
}

/**
 * The controller's `singleDecrypt`, written again here from its source (and not from ours):
 * bitnami-labs/sealed-secrets@v0.36.6 pkg/crypto/crypto.go:88-124 — the first 2 bytes are the RSA
 * ciphertext's length (:92), the RSA part is OAEP with SHA-256 and the label (:100), the rest is
 * AES-GCM under the session key with a zero nonce (:115-118), whose tag Go appends last.
 */
export function controllerDecrypt(keyPem: string, encryptedData: string, label: Buffer): Buffer {
  const ciphertext = Buffer.from(encryptedData, 'base64');
  if (ciphertext.length < 2) throw new Error('SealedSecret data is too short');
  const rsaLength = ciphertext.readUInt16BE(0);
  if (ciphertext.length < rsaLength + 2) throw new Error('SealedSecret data is too short');
  const sessionKey = privateDecrypt(
    { key: createPrivateKey(keyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
    ciphertext.subarray(2, rsaLength + 2),
  );
  const aes = ciphertext.subarray(rsaLength + 2);
  const tagAt = aes.length - 16;
  const gcm = createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  gcm.setAuthTag(aes.subarray(tagAt));
  return Buffer.concat([gcm.update(aes.subarray(0, tagAt)), gcm.final()]);
}
