import { BoundedMemo, REMEMBERED_STRINGS } from './bounded-memo';

/**
 * Recognises credentials inside values, whatever the name they are under: everything in
 * instance.yaml ends up in Git and most of it in rendered files (ConfigMaps, Applications), so a
 * pasted token must be refused, and messages about it must never repeat it (they land in CI logs).
 *
 * Three kinds of evidence, each cheap enough to run over every string of every rendered object:
 * - known key formats (cloud, payment, chat and forge tokens, PEM blocks, JWTs), each with its issuer's
 *   documented prefix;
 * - a password in a URL (`scheme://user:password@host`) or a secret-named query parameter
 *   (`?api_key=…`, `&token=…`, a pre-signed S3 URL's `X-Amz-Signature`), unless it is a `$(VAR)`
 *   reference that Kubernetes interpolates from a Secret-backed variable;
 * - a long random-looking token: mixed-case letters and digits that change class at most
 *   characters (words, host names, bucket names and image tags change class rarely), or a long hex
 *   string that is not a commit id or a digest.
 */

/** What was found, where in the value, and how to show it without revealing it. */
export interface CredentialMatch {
  /** What it looks like, e.g. "an AWS access key id". */
  readonly kind: string;
  /** Offset of the secret part in the value (0-based) and its length. */
  readonly index: number;
  readonly length: number;
  /** The secret part's masked form: its first two characters and its length. */
  readonly masked: string;
}

/** `ab… (40 characters)`: enough to find the value in the file, too little to use it. */
export function mask(secret: string): string {
  const chars = [...secret];
  return `${chars.slice(0, 2).join('')}… (${chars.length} characters)`;
}

interface Format {
  readonly kind: string;
  readonly pattern: RegExp;
}

/** Token formats with a fixed, documented prefix. */
const FORMATS: readonly Format[] = [
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
  { kind: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/ },
  // https://docs.stripe.com/keys
  { kind: 'a Stripe key', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}/ },
  // https://api.slack.com/authentication/token-types
  { kind: 'a Slack token', pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}/ },
  // https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/
  { kind: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/ },
  // https://docs.gitlab.com/security/tokens/#token-prefixes
  { kind: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  // https://docs.digitalocean.com/reference/api/create-personal-access-token/
  { kind: 'a DigitalOcean token', pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/ },
  // https://cloud.google.com/docs/authentication/api-keys
  { kind: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}/ },
  // https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys
  { kind: 'a SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/ },
  // https://developers.deepl.com/docs/getting-started/auth (Free API keys end in `:fx`)
  { kind: 'a DeepL API key', pattern: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}:fx\b/ },
  // RFC 7468 textual encodings: private keys, certificates' keys, PGP blocks.
  // The whole block up to its END line (or the end of the value) is the secret.
  { kind: 'a PEM or PGP block', pattern: /-----BEGIN [A-Z0-9 ]*(?:PRIVATE KEY|PGP PRIVATE KEY BLOCK)[A-Z ]*-----[\s\S]*?(?:-----END [A-Z0-9 ]*-----|$)/ },
  // RFC 7519: header.payload.signature, both first parts base64url JSON objects ("{" → "eyJ").
  { kind: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
];

/** All the formats in one expression (one pass over a value), a group each. */
const ANY_FORMAT = new RegExp(FORMATS.map((f) => `(${f.pattern.source})`).join('|'));

/** A value made only of `$(VAR)` references (Kubernetes interpolates earlier env vars). */
const ONLY_REFERENCES = /^(?:\$\([A-Za-z_][A-Za-z0-9_]*\))+$/;
/*
 * The expressions below are linear in the length of a value: a scheme starts only where no scheme
 * character precedes it, and every repeated part is bounded or cannot overlap the next match
 * (a value may be very long; a nested `*` made a 200 000-character value take 40 s).
 */
/** `scheme://user:password@`; the password group is checked against ONLY_REFERENCES. */
const URL_PASSWORD = /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@]{0,256}:([^\s/@]{1,256})@/i;
/** A query (or fragment) parameter: its name and value. */
const QUERY_PARAMETER = /[?&#;]([^=?&#;\s]{1,64})=([^?&#;\s]+)/g;
/** Parameter names that say they carry a credential. */
const SECRET_PARAMETER = /^(?:.*(?:api[_-]?key|apikey|access[_-]?key|secret|token|passw(?:or)?d|pwd|signature|credential).*|key|sig|auth)$/i;

/** Runs of base64/base64url characters, the alphabet of most generated tokens. */
const TOKEN_RUN = /[A-Za-z0-9+/=_-]{20,}/g;
/** Runs of hex digits. */
const HEX_RUN = /(?<![A-Za-z0-9])(?:[0-9a-f]{32,}|[0-9A-F]{32,})(?![A-Za-z0-9])/g;
/** Digest prefixes: what follows is a content hash (an image digest), not a secret. */
const DIGEST_PREFIX = /(?:sha1|sha256|sha384|sha512):$/;
/** Hex lengths of commit ids (SHA-1, SHA-256) a value may pin, e.g. argocd.targetRevision. */
const COMMIT_ID_LENGTHS = [40, 64];

/**
 * What every detector needs at least: a run of 11 token characters (the shortest, a JWT's
 * `eyJ` part), a PEM header, or a URL's `@` or query. Most strings of a render have none.
 */
const MAYBE_CREDENTIAL = /[A-Za-z0-9+/=_-]{11}|-----BEGIN|[@?&#;]/;
/**
 * And one of these: each format's fixed prefix holds an upper-case letter or `_`, or is `xox`,
 * `glpat-` or `:fx`; a password in a URL needs `@`, a secret-named query parameter `=`; a
 * random-looking token mixes cases; a random hex key is 32 hex digits (upper-case ones are upper
 * case). Most names, labels and hosts of a render, lower case with digits, dots and dashes, have
 * none, and skip the memory below too.
 */
const NEEDED_BY_ANY = /[A-Z_@=]|xox|glpat-|:fx|[0-9a-f]{32}/;
/** Strings longer than this are not remembered (a script or a dashboard is each instance's own). */
const CACHED_LENGTH = 256;
/** Results by string (./bounded-memo.ts). */
const remembered = new BoundedMemo(REMEMBERED_STRINGS, detectCredential);

/** The first credential in `value`, or undefined. */
export function findCredential(value: string): CredentialMatch | undefined {
  if (!mayHoldCredential(value)) return undefined;
  if (value.length > CACHED_LENGTH) return detectCredential(value);
  return remembered.get(value);
}

/**
 * Whether any detector could match `value` (values shorter than 8 characters are not searched).
 * Exported for test/config/credentials.test.ts, which holds it to the detectors.
 */
export function mayHoldCredential(value: string): boolean {
  return value.length >= 8 && MAYBE_CREDENTIAL.test(value) && NEEDED_BY_ANY.test(value);
}

/** Every detector, in order, on `value` (findCredential without its shortcuts; exported for its test). */
export function detectCredential(value: string): CredentialMatch | undefined {
  const format = ANY_FORMAT.exec(value);
  if (format) return found(FORMATS[format.slice(1).findIndex((g) => g !== undefined)].kind, format.index, format[0]);
  const url = value.includes('@') ? URL_PASSWORD.exec(value) : null;
  if (url && !ONLY_REFERENCES.test(url[1])) return found('a password in a URL', url.index + url[0].length - url[1].length - 1, url[1]);
  for (const query of value.includes('=') ? value.matchAll(QUERY_PARAMETER) : []) {
    const [whole, name, parameter] = query;
    if (SECRET_PARAMETER.test(name) && !ONLY_REFERENCES.test(parameter)) return found('a credential in a URL parameter', (query.index ?? 0) + whole.length - parameter.length, parameter);
  }
  return randomToken(value);
}

function found(kind: string, index: number, secret: string): CredentialMatch {
  return { kind, index, length: secret.length, masked: mask(secret) };
}

function randomToken(value: string): CredentialMatch | undefined {
  for (const m of value.matchAll(HEX_RUN)) {
    const hex = m[0];
    const isDigest = DIGEST_PREFIX.test(value.slice(0, m.index));
    const isCommitId = hex.length === value.length && COMMIT_ID_LENGTHS.includes(hex.length);
    if (!isDigest && !isCommitId && /[0-9]/.test(hex) && /[a-f]/i.test(hex)) return found('a random hex key', m.index, hex);
  }
  for (const m of value.matchAll(TOKEN_RUN)) {
    if (looksRandom(m[0])) return found('a random-looking token', m.index ?? 0, m[0]);
  }
  return undefined;
}

/** The class of a character: upper, lower, digit or other. */
function charClass(c: string): number {
  return c >= 'A' && c <= 'Z' ? 0 : c >= 'a' && c <= 'z' ? 1 : c >= '0' && c <= '9' ? 2 : 3;
}

/**
 * Mixed case and digits, many distinct characters and frequent changes of class: a random
 * base64 string changes class at about 65 % of its characters, English words in camel case or
 * kebab case at well under 30 %.
 */
function looksRandom(run: string): boolean {
  const classes = [...run].map(charClass);
  if (!classes.includes(0) || !classes.includes(1) || !classes.includes(2)) return false;
  if (new Set(run).size < 12) return false;
  let changes = 0;
  for (let i = 1; i < classes.length; i++) if (classes[i] !== classes[i - 1]) changes++;
  return changes / (classes.length - 1) >= 0.4;
}
