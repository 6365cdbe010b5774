import { EnvBuilder, SecretKeyRef } from '../../core/env';

/**
 * rclone remotes, configured entirely through environment variables
 * (`RCLONE_CONFIG_<REMOTE>_<OPTION>`), so no config file holds a secret and the Secrets stay the
 * only place credentials live.
 * @see https://rclone.org/docs/#config-file
 */

/** The backup bucket, as stored (encrypted bytes). */
export const STORE_REMOTE = 'store';
/** rclone crypt over `store:<bucket>/<prefix>`: what the jobs write to and a restore reads from. */
export const VAULT_REMOTE = 'vault';
/** The media bucket Mastodon serves from (storage.s3). */
export const MEDIA_REMOTE = 'media';

/** Folders in the vault. */
export const DATABASE_FOLDER = 'database';
export const MEDIA_FOLDER = 'media';

/** Where rclone may write in a read-only container (HOME and its absent config file). */
export const RCLONE_HOME = '/tmp';

/** An S3-compatible bucket's endpoint and keys. */
export interface S3Remote {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: SecretKeyRef;
  readonly secretAccessKey: SecretKeyRef;
  /** Ask the storage to encrypt at rest (SSE `AES256`). @default false */
  readonly serverSideEncryption?: boolean;
}

/** Where the backups go: a folder of a bucket, encrypted with rclone crypt. */
export interface BackupVault {
  readonly destination: S3Remote & {
    readonly bucket: string;
    /** The folder in the bucket. */
    readonly prefix: string;
  };
  readonly encryption: {
    /** The password, as printed by `rclone obscure`. */
    readonly password: SecretKeyRef;
    /** A second password (salt), also obscured. @default none */
    readonly salt?: SecretKeyRef;
  };
}

function option(remote: string, name: string): string {
  return `RCLONE_CONFIG_${remote.toUpperCase()}_${name}`;
}

/** rclone in a read-only container: home on the scratch volume, no config file. */
export function rcloneBaseEnv(): EnvBuilder {
  return new EnvBuilder().set('HOME', RCLONE_HOME).set('RCLONE_CONFIG', `${RCLONE_HOME}/rclone.conf`);
}

function s3Remote(env: EnvBuilder, remote: string, s3: S3Remote, role: string): EnvBuilder {
  return env
    .set(option(remote, 'TYPE'), 's3')
    // "Other" speaks plain S3, which Spaces, Backblaze B2 and AWS all accept.
    .set(option(remote, 'PROVIDER'), 'Other')
    .set(option(remote, 'ENDPOINT'), s3.endpoint)
    .set(option(remote, 'REGION'), s3.region)
    // Keys scoped to one bucket may not create or list buckets.
    .set(option(remote, 'NO_CHECK_BUCKET'), true)
    .set(option(remote, 'SERVER_SIDE_ENCRYPTION'), s3.serverSideEncryption ? 'AES256' : undefined)
    .secret(option(remote, 'ACCESS_KEY_ID'), s3.accessKeyId, `${role} access key`)
    .secret(option(remote, 'SECRET_ACCESS_KEY'), s3.secretAccessKey, `${role} secret key`);
}

/** The backup bucket itself, unencrypted by rclone (for files others write there, such as Dragonfly's copies). */
export function storeEnv(env: EnvBuilder, bucket: S3Remote): EnvBuilder {
  return s3Remote(env, STORE_REMOTE, bucket, 'backup bucket');
}

/**
 * The encrypted backup store of an instance: the destination bucket under `<prefix>/`, wrapped in rclone crypt (XSalsa20-Poly1305 per file). File names stay readable
 * (with a `.bin` suffix) so dumps can be picked by date in the bucket's console; contents cannot.
 * @see https://rclone.org/crypt/
 */
export function vaultEnv(env: EnvBuilder, vault: BackupVault): EnvBuilder {
  const { destination, encryption } = vault;
  return s3Remote(env, STORE_REMOTE, destination, 'backup bucket')
    .set(option(VAULT_REMOTE, 'TYPE'), 'crypt')
    .set(option(VAULT_REMOTE, 'REMOTE'), `${STORE_REMOTE}:${destination.bucket}/${destination.prefix}`)
    .set(option(VAULT_REMOTE, 'FILENAME_ENCRYPTION'), 'off')
    .set(option(VAULT_REMOTE, 'DIRECTORY_NAME_ENCRYPTION'), false)
    .secret(option(VAULT_REMOTE, 'PASSWORD'), encryption.password, 'backup encryption password (rclone obscure)')
    .secret(option(VAULT_REMOTE, 'PASSWORD2'), encryption.salt, 'backup encryption salt (rclone obscure)');
}

/** Mastodon's media bucket, read with Mastodon's own object storage key. */
export function mediaSourceEnv(env: EnvBuilder, s3: S3Remote): EnvBuilder {
  return s3Remote(env, MEDIA_REMOTE, s3, 'media bucket (read by the media backup)');
}
