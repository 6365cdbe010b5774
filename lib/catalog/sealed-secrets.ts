import { constants, createCipheriv, KeyObject, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';

// The Sealed Secrets controller (bitnami-labs/sealed-secrets) as pinned: controller v0.36.6, whose
// CRD is in ../shared/crds/sealed-secrets (SOURCES.md: commit 6dc88036), installed by the chart
// sealed-secrets 2.18.5, the first whose image is 0.36.6 (helm-v2.18.5
// helm/sealed-secrets/Chart.yaml: version 2.18.5, appVersion 0.36.6; values.yaml:42 `tag: 0.36.6`).
// SS = bitnami-labs/sealed-secrets@v0.36.6.

export const SEALED_SECRET_API_VERSION = 'bitnami.com/v1alpha1';
export const SEALED_SECRET_KIND = 'SealedSecret';

/**
 * Who may unseal a value (SS pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go:23-33):
 * `strict` (the default) pins it to one Secret name in one namespace, `namespace-wide` to a
 * namespace, `cluster-wide` to nothing.
 */
export type SealingScope = 'strict' | 'namespace-wide' | 'cluster-wide';

/**
 * The annotations that widen a SealedSecret's scope, read from the SealedSecret's own metadata when
 * it is unsealed (SS types.go:17-25; sealedsecret_expansion.go:111-120 `SecretScope`, :274
 * `labelFor(smeta)`). A strict SealedSecret carries neither (:173-187 `UpdateScopeAnnotations`).
 */
export const SCOPE_ANNOTATIONS = {
  'namespace-wide': 'sealedsecrets.bitnami.com/namespace-wide',
  'cluster-wide': 'sealedsecrets.bitnami.com/cluster-wide',
} as const;

/**
 * The annotation that lets the controller take over a Secret that already exists (SS types.go:27-29;
 * pkg/controller/controller.go:392-393: otherwise "already exists and is not managed by SealedSecret").
 */
export const MANAGED_ANNOTATION = 'sealedsecrets.bitnami.com/managed';

/**
 * The RSA-OAEP label a value is sealed with, which binds it to its scope: `<namespace>/<name>`,
 * `<namespace>` or empty (SS sealedsecret_expansion.go:90-104 `EncryptionLabel`). Decryption with
 * any other label fails, so a value cannot be moved to another Secret or namespace.
 */
export function encryptionLabel(namespace: string, name: string, scope: SealingScope): Buffer {
  switch (scope) {
    case 'cluster-wide': return Buffer.alloc(0);
    case 'namespace-wide': return Buffer.from(namespace);
    case 'strict': return Buffer.from(`${namespace}/${name}`);
  }
}

/** The AES-256 session key (SS pkg/crypto/crypto.go:16-18 `sessionKeyBytes = 32`). */
const SESSION_KEY_BYTES = 32;
/** Go's `cipher.NewGCM`: a 12-byte nonce (all zeros here, crypto.go:66-67) and a 16-byte tag appended by `Seal`. */
const GCM_NONCE_BYTES = 12;

/**
 * `HybridEncrypt` (SS pkg/crypto/crypto.go:32-73): a fresh 32-byte AES key, encrypted with RSA-OAEP
 * (SHA-256, which Go also uses for MGF1, and the scope's label); the output is the RSA ciphertext's
 * length (2 bytes, big-endian), the RSA ciphertext, then the value under AES-256-GCM with a zero
 * nonce (the key is used once) and the tag last. `encryptedData` holds it in standard base64
 * (sealedsecret_expansion.go:244-258, one value per key).
 */
export function sealValue(publicKey: KeyObject, label: Buffer, plaintext: Buffer): string {
  const sessionKey = randomBytes(SESSION_KEY_BYTES);
  const rsaCiphertext = publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
    sessionKey,
  );
  const length = Buffer.alloc(2);
  length.writeUInt16BE(rsaCiphertext.length);
  const gcm = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(GCM_NONCE_BYTES));
  const sealed = Buffer.concat([gcm.update(plaintext), gcm.final(), gcm.getAuthTag()]);
  return Buffer.concat([length, rsaCiphertext, sealed]).toString('base64');
}

/** Why a certificate cannot be sealed with (never anything secret: the certificate is public). */
export class SealingCertError extends Error {}

/**
 * The controller's public key from its certificate (`kubeseal --fetch-cert`), refused as kubeseal
 * refuses it (SS pkg/kubeseal/kubeseal.go:42-68 `ParseKey`): the first certificate of the PEM, an
 * RSA key, not expired at `now`. (The controller makes a new key every 30 days and keeps the old
 * ones, each certificate valid for 10 years: SS cmd/controller/main.go:24,36,39; a value sealed with an
 * older certificate still unseals.)
 */
export function sealingKeyOf(pem: string, now: Date): { readonly key: KeyObject; readonly notAfter: Date } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new SealingCertError('is not a PEM certificate; fetch it with `kubeseal --fetch-cert`');
  }
  if (cert.publicKey.asymmetricKeyType !== 'rsa') {
    throw new SealingCertError(`holds a ${cert.publicKey.asymmetricKeyType ?? 'non-RSA'} key; the Sealed Secrets controller's certificate holds an RSA key`);
  }
  const notAfter = new Date(cert.validTo);
  if (now.getTime() > notAfter.getTime()) {
    throw new SealingCertError(`expired on ${notAfter.toISOString().slice(0, 10)}; fetch the current one with \`kubeseal --fetch-cert\``);
  }
  return { key: cert.publicKey, notAfter };
}
