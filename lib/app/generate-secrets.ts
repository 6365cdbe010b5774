import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { appSecretsOf } from '../catalog/mastodon-releases';
import { APP_SECRET_FORMATS, SecretFormat, VAPID_PRIVATE_KEY_BYTES } from '../catalog/mastodon-secret-formats';
import { LoadedInstance } from '../config/types';
import { buildModel } from '../model/build';

/** Ruby's `Base64.urlsafe_encode64`: `-` and `_` for `+` and `/`, padding kept. */
export function urlsafeBase64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * `SecureRandom.alphanumeric(length)`: each character uniform over `[A-Za-z0-9]`. Random bytes
 * of 248 or more are dropped (rejection sampling), so that `byte % 62` has no bias.
 */
export function alphanumeric(length: number): string {
  const limit = 256 - (256 % ALPHANUMERIC.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
    }
  }
  return out;
}

/**
 * A VAPID pair as `Webpush.generate_key` writes it: a fresh P-256 key; the private scalar (always 32
 * bytes, left-padded, which the gem reads as a big-endian integer) and the uncompressed public
 * point, both URL-safe base64 with padding. The JWK export gives `d`, `x` and `y` at their full
 * 32 bytes (RFC 7518 §6.2.1.2, 6.2.2.1), unlike `ECDH#getPrivateKey()`, which drops leading zeros.
 */
export function vapidKeyPair(): { readonly privateKey: string; readonly publicKey: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = privateKey.export({ format: 'jwk' });
  const [d, x, y] = [jwk.d, jwk.x, jwk.y].map((part) => Buffer.from(part ?? '', 'base64url'));
  if (d.length !== VAPID_PRIVATE_KEY_BYTES || x.length !== 32 || y.length !== 32) throw new Error('unexpected P-256 JWK');
  return { privateKey: urlsafeBase64(d), publicKey: urlsafeBase64(Buffer.concat([Buffer.from([4]), x, y])) };
}

function generateValue(format: Exclude<SecretFormat, 'vapid-private' | 'vapid-public'>): string {
  switch (format) {
    case 'hex-64-bytes': return randomBytes(64).toString('hex');
    case 'alphanumeric-32': return alphanumeric(32);
  }
}

/**
 * Fresh values for every application secret the release `version` (`v4.7.2`) reads, in
 * `appSecretsOf`'s order, each in the format Mastodon's own tasks make (lib/catalog/mastodon-secret-formats.ts).
 */
export function generateAppSecrets(version: string): Array<[name: string, value: string]> {
  let vapid: ReturnType<typeof vapidKeyPair> | undefined;
  return appSecretsOf(version).map(({ name }) => {
    const info = APP_SECRET_FORMATS[name];
    if (!info) throw new Error(`no format known for the application secret ${name}`);
    if (info.format === 'vapid-private' || info.format === 'vapid-public') {
      vapid ??= vapidKeyPair();
      return [name, info.format === 'vapid-private' ? vapid.privateKey : vapid.publicKey];
    }
    return [name, generateValue(info.format)];
  });
}

/** `NAME=value` lines, as `kubectl create secret generic … --from-env-file` reads them. */
export function envBlock(values: ReadonlyArray<readonly [string, string]>): string {
  return values.map(([name, value]) => `${name}=${value}\n`).join('');
}

/** The Secret that holds the application secrets, as the model resolves it. */
export function appSecretName(loaded: LoadedInstance): string {
  return buildModel(loaded).secrets.appSecretName;
}

/**
 * The application secrets a person brings for this instance: all of them, except those its
 * delivery generates in the cluster (SECRET_KEY_BASE under external-secrets, lib/model/secrets.ts).
 */
export function appSecretsToBring(loaded: LoadedInstance): Array<[name: string, value: string]> {
  const { appSecretName: app, inCluster } = buildModel(loaded).secrets;
  return generateAppSecrets(loaded.instance.mastodon.version).filter(([name]) => !inCluster.some((k) => k.name === app && k.key === name));
}

/** One JSON object of `NAME: value`, as a store's CLI reads it (`vault kv put <key> -`, `aws secretsmanager … --secret-string`). */
export function jsonBlock(values: ReadonlyArray<readonly [string, string]>): string {
  return `${JSON.stringify(Object.fromEntries(values))}\n`;
}
