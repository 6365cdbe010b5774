// The formats of Mastodon's application secrets, as Mastodon's own tasks make them and as Mastodon
// reads them back. `secrets generate` makes values in these formats; the tests parse them back.
//
// Mirrors read: G = glitch-soc/mastodon at its vX.Y.Z tags (the files cited are upstream Mastodon's
// at those tags), M = mjankowski/mastodon@2f40549d41 (4.7.0-beta), W = mastodon/webpush@9631ac63
// (the webpush gem Mastodon pins: G v4.4.0 Gemfile:97 `ref: '9631ac63…'`; G v4.3.0 Gemfile:95 pins
// ClearlyClaire/webpush@f14a4d52, whose key encoding is the same).

/** How a value is made. */
export type SecretFormat =
  /** `SecureRandom.hex(64)`: 64 random bytes as 128 lower-case hex characters. */
  | 'hex-64-bytes'
  /** `SecureRandom.alphanumeric(32)`: 32 characters drawn uniformly from `[A-Za-z0-9]`. */
  | 'alphanumeric-32'
  /** The P-256 private scalar, URL-safe base64 with `=` padding (`Base64.urlsafe_encode64`). */
  | 'vapid-private'
  /** The P-256 public point, uncompressed (`04 ‖ X ‖ Y`, 65 bytes), URL-safe base64 with `=` padding. */
  | 'vapid-public';

export interface SecretFormatInfo {
  readonly format: SecretFormat;
  /** What a generated value looks like (anchored). */
  readonly pattern: RegExp;
  /** Where Mastodon makes and reads such a value (repo@tag:file:line). */
  readonly source: string;
}

/** URL-safe base64 of `bytes` bytes with `=` padding, as Ruby's `Base64.urlsafe_encode64` writes it. */
function urlsafeBase64Pattern(bytes: number): RegExp {
  const chars = Math.ceil(bytes / 3) * 4;
  const padding = (3 - (bytes % 3)) % 3;
  return new RegExp(`^[A-Za-z0-9_-]{${chars - padding}}${'='.repeat(padding)}$`);
}

/** The length of a P-256 private scalar written in full (the webpush gem drops leading zero bytes; W lib/webpush/vapid_key.rb:97 "Not properly padded but OpenSSL doesn't mind"). */
export const VAPID_PRIVATE_KEY_BYTES = 32;
/** The uncompressed P-256 point: 0x04, then X and Y of 32 bytes each. */
export const VAPID_PUBLIC_KEY_BYTES = 65;

/**
 * Mastodon's application secrets by name. Which of them a release needs is `appSecretsOf`
 * (mastodon-releases.ts): OTP_SECRET only before 4.4.
 */
export const APP_SECRET_FORMATS: Readonly<Record<string, SecretFormatInfo>> = {
  // Rails only checks that it is a non-empty String and feeds it to PBKDF2 (ActiveSupport::KeyGenerator).
  SECRET_KEY_BASE: {
    format: 'hex-64-bytes',
    pattern: /^[0-9a-f]{128}$/,
    source: 'G v4.3.0 lib/tasks/mastodon.rake:35-37 and M lib/tasks/mastodon.rake:47-49 (`SecureRandom.hex(64)`)',
  },
  // Required at boot on 4.3 (G v4.3.0 config/environments/production.rb:160-164 `ENV.fetch('OTP_SECRET')`).
  OTP_SECRET: {
    format: 'hex-64-bytes',
    pattern: /^[0-9a-f]{128}$/,
    source: 'G v4.3.0 lib/tasks/mastodon.rake:35-37 (`%w(SECRET_KEY_BASE OTP_SECRET)` … `SecureRandom.hex(64)`)',
  },
  // Mastodon replaces Rails' db:encryption:init with its own format; Rails derives the real keys with PBKDF2.
  ...Object.fromEntries(['DETERMINISTIC_KEY', 'KEY_DERIVATION_SALT', 'PRIMARY_KEY'].map((suffix) => [`ACTIVE_RECORD_ENCRYPTION_${suffix}`, {
    format: 'alphanumeric-32',
    pattern: /^[A-Za-z0-9]{32}$/,
    source: 'G v4.3.0 lib/tasks/db.rake:4,13-15 and M lib/tasks/db.rake:4,43-45 (`SecureRandom.alphanumeric(32)`); G v4.3.0 lib/tasks/mastodon.rake:39-46, M :51-58',
  } satisfies SecretFormatInfo])),
  // Webpush.generate_key (M lib/tasks/mastodon.rake:584-590) → VapidKey.new: OpenSSL::PKey::EC.generate('prime256v1') (W lib/webpush/vapid_key.rb:27-30).
  VAPID_PRIVATE_KEY: {
    format: 'vapid-private',
    pattern: urlsafeBase64Pattern(VAPID_PRIVATE_KEY_BYTES),
    source: 'W lib/webpush/vapid_key.rb:49-51 (`encode64(curve.private_key.to_s(2))`), lib/webpush.rb:57-59 (`Base64.urlsafe_encode64`); read back by vapid_key.rb:82-112 (`set_keys!`, `to_big_num`) after webpush.rb:61-67 (`decode64`)',
  },
  VAPID_PUBLIC_KEY: {
    format: 'vapid-public',
    pattern: urlsafeBase64Pattern(VAPID_PUBLIC_KEY_BYTES),
    source: 'W lib/webpush/vapid_key.rb:35-37 (`encode64(curve.public_key.to_bn.to_s(2))`, the uncompressed point); set_keys! (:82-106) never checks that it matches the private key',
  },
};
