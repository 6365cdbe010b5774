// Which Mastodon settings hold secrets: their values must be references, never committed.

/** Variable and key names that hold secrets (config checks use it too, to point at the line). */
const SECRET_LIKE_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|KEY/i;
/**
 * Mastodon settings whose names look secret but whose values are public (read at
 * glitch-soc/mastodon@v4.6.5, upstream files): the hCaptcha site key is embedded in the sign-up
 * page (config/captcha.yml:3), S3_KEY_PREFIX is a path prefix (config/initializers/paperclip.rb:45),
 * CACHE_BUSTER_SECRET_HEADER names a header (config/cache_buster.yml:3), the CAS_*_KEY settings name
 * attributes (config/initializers/3_omniauth.rb:27-35), OIDC_TOKEN_ENDPOINT is a URL (:100).
 */
const PUBLIC_SETTINGS: ReadonlySet<string> = new Set([
  'HCAPTCHA_SITE_KEY', 'S3_KEY_PREFIX', 'CACHE_BUSTER_SECRET_HEADER', 'OIDC_TOKEN_ENDPOINT', 'OIDC_SEND_SCOPE_TO_TOKEN_ENDPOINT',
  ...['UID', 'NAME', 'EMAIL', 'NICKNAME', 'FIRST_NAME', 'LAST_NAME', 'LOCATION', 'IMAGE', 'PHONE'].map((a) => `CAS_${a}_KEY`),
]);
export const SECRET_NAME = { test: (name: string): boolean => SECRET_LIKE_NAME.test(name) && !PUBLIC_SETTINGS.has(name) };
