// External Secrets Operator (ESO) v2.9.0: what the rendered ExternalSecrets and Password generators
// rely on. Read at external-secrets/external-secrets@v2.9.0 (commit 378bdb62, the CRDs in
// ../shared/crds/external-secrets) unless marked; `ESO:` below is that tree. The Password generator
// draws its characters with sethvargo/go-password v0.3.1 (ESO:generators/v1/password/go.mod),
// `GP:` below (sethvargo/go-password@v0.3.1).

/** Where the operator runs. */
export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';

export const EXTERNAL_SECRET_API_VERSION = 'external-secrets.io/v1';
export const GENERATOR_API_VERSION = 'generators.external-secrets.io/v1alpha1';

/**
 * How an ExternalSecret whose Secret holds generated values must refresh: `CreatedOnce`.
 * - A generator runs at every refresh and its values replace the Secret's
 *   (ESO:pkg/controllers/externalsecret/externalsecret_controller_secret.go:80-108: each
 *   `dataFrom[].sourceRef.generatorRef` is called and merged into the provider data).
 * - `Periodic` (the default) refreshes every `refreshInterval` and whenever the ExternalSecret's
 *   generation, labels or annotations change (ESO:…/externalsecret_controller.go:1249-1279;
 *   ESO:pkg/controllers/util/util.go:30-43 hashes labels and annotations into the compared version),
 *   so a generated password would change every hour, and at every Argo CD label change.
 * - `CreatedOnce` refreshes only while the status is empty, i.e. once (…/externalsecret_controller.go:1226-1233).
 * - But a refresh also runs when the target Secret is not valid: missing, without the `managed`
 *   label, or with data that no longer matches the data-hash annotation (…:364-375, 1282-1304).
 *   Deleting the Secret (or the ExternalSecret: with `creationPolicy: Owner` the Secret is owned by
 *   it, …:816-819, and goes with it) therefore generates new values. Only values whose loss is
 *   recoverable are generated in the cluster (IN_CLUSTER_PASSWORDS).
 */
export const GENERATED_REFRESH_POLICY = 'CreatedOnce';
/** Store-backed ExternalSecrets read the store again every `refreshInterval` (…/externalsecret_types.go:584-598). */
export const STORE_REFRESH_POLICY = 'Periodic';
/** The Secret belongs to its ExternalSecret (ownerReference; the default, …/externalsecret_types.go:248-252). */
export const CREATION_POLICY = 'Owner';
/** A value deleted from the store stays in the Secret (the default, …/externalsecret_types.go:254-258). */
export const DELETION_POLICY = 'Retain';

/** The Password generator's options that our values set (ESO:apis/generators/v1alpha1/types_password.go:24-67). */
export interface PasswordSpec {
  readonly length: number;
  /** Exactly this many digits; the rest are letters (no symbols). */
  readonly digits: number;
  /**
   * Always 0, written out: left unset, a quarter of the length would be symbols from
   * ``~!@#$%^&*()_+`-={}|[]\:"<>?,./`` (ESO:generators/v1/password/password.go:41, 119-126), which break a
   * password interpolated into a Redis URL.
   */
  readonly symbols: 0;
  /**
   * Without it, go-password refuses more than 52 letters or 10 digits, and draws each character
   * at most once (GP:password/generate.go:142-152, 163-166): a 128-character value needs it, and
   * it makes every character an independent draw.
   */
  readonly allowRepeat: true;
}

/** A value ESO generates in the cluster, and why that is safe for it. */
export interface InClusterPassword {
  readonly spec: PasswordSpec;
  /** What is lost when it is generated anew (its Secret deleted): recoverable, by the rule above. */
  readonly onRegeneration: string;
}

/**
 * The values generated in the cluster under `delivery: external-secrets`: letters and digits only
 * (GP:password/generate.go:33-45; `[A-Za-z0-9]`, the alphabet of Mastodon's own alphanumeric keys).
 * The ActiveRecord encryption keys, OTP_SECRET and VAPID come from the store (`secrets generate`):
 * regenerated, they would make encrypted data unreadable or break every push subscription.
 */
export const IN_CLUSTER_PASSWORDS = {
  // Rails only asks for a non-empty String (railties/lib/rails/application/configuration.rb
  // `secret_key_base=`: `is_a?(String) && present?`, else ArgumentError; read in a Rails 7.1+ tree of
  // the code index, tag not pinned) and derives every key from it (ActiveSupport::KeyGenerator, PBKDF2);
  // Mastodon's own task makes 128 hex characters (lib/catalog/mastodon-secret-formats.ts). 128 characters,
  // 96 letters and 32 digits: about 650 bits.
  secretKeyBase: {
    spec: { length: 128, digits: 32, symbols: 0, allowRepeat: true },
    onRegeneration: 'every web session is signed out; signed links in sent e-mails (unsubscribe) stop working',
  },
  // DFLY_requirepass of the Dragonfly and REDIS_PASSWORD of every Mastodon process, interpolated as
  // $(VAR) into the Redis URL, so URL-safe. 32 characters, 24 letters and 8 digits: about 180 bits.
  dragonflyPassword: {
    spec: { length: 32, digits: 8, symbols: 0, allowRepeat: true },
    onRegeneration: 'the Dragonfly and the Mastodon pods must restart to read the new password (a short Redis outage; the cache starts empty)',
  },
} as const satisfies Readonly<Record<string, InClusterPassword>>;
