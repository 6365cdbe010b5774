// What replacing a secret value costs, by the environment variable that reads it, as read in the
// software that reads it. `secrets rotate` prints the consequence before it acts, and refuses
// what loses data unless told to accept that.
//
// M = mjankowski/mastodon@2f40549d41 (a mirror of mastodon/mastodon main, 4.8.0-alpha.1, whose
// files cited here are those of the 4.5-4.7 releases); SS = bitnami-labs/sealed-secrets@v0.36.6.

/** A value that can be replaced; the cost is spelled out and the person confirms with --force. */
export interface Rotatable {
  readonly kind: 'rotatable';
  /** What users and operators notice, in one or two sentences. */
  readonly consequence: string;
  /** What must happen after the new value is in the Secret for it to take effect. */
  readonly afterwards: string;
  readonly source: string;
}

/** A value whose replacement loses data; refused unless the person accepts the loss. */
export interface DataLoss {
  readonly kind: 'data-loss';
  readonly consequence: string;
  /** What to do instead (Mastodon's own procedure, where it has one). */
  readonly procedure: string;
  readonly source: string;
}

export type RotationPolicy = Rotatable | DataLoss;

/** Pods read their environment when they start: a new value reaches Mastodon only through a restart. */
const RESTART_MASTODON = 'restart every Mastodon pod (pods read their environment at start): '
  + '`kubectl -n <namespace> rollout restart deployment -l app.kubernetes.io/instance=<instance>`';

/** Where the Mastodon files cited here were read. */
const M = 'mjankowski/mastodon@2f40549d41';

const AR_KEYS_LOSS: DataLoss = {
  kind: 'data-loss',
  consequence: 'every column Mastodon encrypts with Active Record encryption becomes unreadable: the two-factor (TOTP) secrets of every user who enabled 2FA '
    + '(devise :two_factor_authenticatable, app/models/user.rb:63, devise-two-factor 6.4 stores otp_secret with `encrypts`), and, on releases that keep key pairs in the keypairs '
    + 'table (added on Mastodon\'s main branch in March 2026, #38279), their private keys (app/models/keypair.rb:25 `encrypts :private_key`), which federation signs requests with. '
    + 'Mastodon passes one key per variable (config/initializers/active_record_encryption.rb:39-43), so there is no previous-key list to decrypt old rows',
  procedure: 'do not change these keys once set: Mastodon\'s own task says so (lib/tasks/db.rake:26-27,42 "Do NOT change these variables once they are set", '
    + 'config/initializers/active_record_encryption.rb:25). If a key leaked, plan a re-encryption with Mastodon\'s maintainers\' guidance before replacing it; '
    + 'a lost key cannot be recovered from the database',
  source: `${M} config/initializers/active_record_encryption.rb:13-43; lib/tasks/db.rake:10-46; app/models/keypair.rb:25; app/models/user.rb:63; Gemfile.lock:201`,
};

const VAPID: Rotatable = {
  kind: 'rotatable',
  consequence: 'every web-push subscription becomes invalid: users get no push notifications until they open the web interface or their app again, which subscribes anew '
    + '(config/vapid.yml:1-4 "all push subscriptions will be invalidated, requiring users to access the website again to resubscribe"). '
    + 'The private and public key are replaced together',
  afterwards: `once the Secret holds the new value, ${RESTART_MASTODON}`,
  source: `${M} config/vapid.yml:1-4,15-17`,
};

const BACKUP_CRYPT: DataLoss = {
  kind: 'data-loss',
  consequence: 'every backup written so far can only be decrypted with the old password and salt (rclone crypt derives its keys from both with scrypt)',
  procedure: 'keep the old values with your restore instructions, send new backups to a new destination prefix with new values, and keep both until the old backups expire',
  source: 'https://rclone.org/crypt/#key-derivation',
};

/**
 * The password of a Dragonfly rendered here: the operator hands it to Dragonfly as `DFLY_requirepass`
 * (../shared/reference/platform-facts.md:33, :115), read when the server starts, and Mastodon's
 * processes read it as REDIS_PASSWORD, SIDEKIQ_REDIS_PASSWORD or CACHE_REDIS_PASSWORD at start.
 */
export const DRAGONFLY_PASSWORD: Rotatable = {
  kind: 'rotatable',
  consequence: 'Redis is unavailable to Mastodon from the moment the Dragonfly pods restart with the new password until Mastodon\'s pods restart with it (seconds to minutes: '
    + 'web requests fail and Sidekiq retries); the cache Dragonfly keeps no snapshot, so it starts empty',
  afterwards: 'once the Secret holds the new value, restart the Dragonfly pods (`kubectl -n <namespace> delete pod -l app.kubernetes.io/name=dragonfly,mastodon-cdk8s.io/instance=<instance>`; '
    + 'the operator recreates them with the new password), then ' + RESTART_MASTODON,
  source: '../shared/reference/platform-facts.md:33,115 (Dragonfly operator: passwordFromSecret becomes DFLY_requirepass)',
};

/** By the environment variable that reads the key. */
export const ROTATION_POLICIES: Readonly<Record<string, RotationPolicy>> = {
  SECRET_KEY_BASE: {
    kind: 'rotatable',
    consequence: 'everyone is signed out of the web interface (the `_mastodon_session` cookie store is keyed by it, config/initializers/session_store.rb:5-11); '
      + 'unused password-reset, confirmation and unlock links stop working (Devise derives its secret_key from it, config/initializers/devise.rb:103-107); '
      + 'unsubscribe links in e-mails already sent stop working (app/mailers/notification_mailer.rb:57 `to_sgid`). '
      + 'Apps keep working: OAuth access tokens are stored in the database',
    afterwards: `once the Secret holds the new value, ${RESTART_MASTODON}`,
    source: `${M} config/initializers/session_store.rb:5-11; config/initializers/devise.rb:103-107; app/mailers/notification_mailer.rb:57; app/models/async_refresh.rb:11,37`,
  },
  VAPID_PRIVATE_KEY: VAPID,
  VAPID_PUBLIC_KEY: VAPID,
  ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY: AR_KEYS_LOSS,
  ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT: AR_KEYS_LOSS,
  ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY: AR_KEYS_LOSS,
  OTP_SECRET: {
    kind: 'data-loss',
    consequence: 'OTP_SECRET decrypts the two-factor secrets stored in the old devise-two-factor format until the post-deployment migration 20240307180905 has moved '
      + 'them to Active Record encryption; with another value the migration aborts ("Unable to decrypt OTP secret"), and those users\' 2FA secrets are lost',
    procedure: 'keep the value the server has always had until `db:migrate` has run the post-deployment migrations of 4.4 or later, then OTP_SECRET is not read any more '
      + '(db/post_migrate/20240307180905_migrate_devise_two_factor_secrets.rb:82-93). If the old value is lost, Mastodon\'s procedure is to re-run that migration with '
      + '`MIGRATION_IGNORE_INVALID_OTP_SECRET=true` (:107,129-141); the affected users then set up 2FA again',
    source: `${M} db/post_migrate/20240307180905_migrate_devise_two_factor_secrets.rb:82-93,98-117,129-145`,
  },
  // The backups' rclone crypt remote (lib/constructs/backup/): the password and salt encrypt every archive.
  RCLONE_CONFIG_VAULT_PASSWORD: BACKUP_CRYPT,
  RCLONE_CONFIG_VAULT_PASSWORD2: BACKUP_CRYPT,
};
