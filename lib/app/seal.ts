import { KeyObject } from 'node:crypto';
import { App } from 'cdk8s';
import { encryptionLabel, SEALED_SECRET_API_VERSION, SEALED_SECRET_KIND, sealValue } from '../catalog/sealed-secrets';
import { REDIS_ROLES } from '../catalog/redis';
import { LoadedInstance } from '../config/types';
import { SealedSecretFile, sealedFile } from '../config/sealed-secrets';
import { buildModel } from '../model/build';
import { toYaml } from '../render/canonical';
import { buildInstance } from './build-instance';
import { alphanumeric, appSecretName, generateAppSecrets } from './generate-secrets';

/** A Secret the instance reads and the keys it needs, in first-seen order. */
export interface NeededSecret {
  readonly namespace: string;
  readonly name: string;
  readonly keys: readonly string[];
}

/**
 * Every Secret the rendered instance references and this repository delivers (not those of
 * `secrets.external`), sorted by namespace and name: the one list SECRETS.md reads (lib/model/secrets.ts).
 */
export function neededSecrets(loaded: LoadedInstance): NeededSecret[] {
  const charts = buildInstance(new App(), buildModel(loaded));
  return charts.secrets.secrets.filter((s) => !s.external).map((s) => ({ namespace: s.namespace, name: s.name, keys: s.keys.map((k) => k.key) }));
}

/** A group of keys of one Secret generated together (a VAPID pair must match). */
export interface KeyGenerator {
  readonly namespace: string;
  readonly name: string;
  readonly keys: readonly string[];
  /** Fresh values for every key of the group. */
  readonly generate: () => Readonly<Record<string, string>>;
}

/** A Dragonfly password: letters and digits only, so it needs no escaping anywhere it is written. */
const DRAGONFLY_PASSWORD_LENGTH = 32;

/**
 * The keys mastodon-cdk8s can make itself: Mastodon's application secrets for the instance's
 * release (lib/app/generate-secrets.ts; the VAPID pair as one group) and the password of each
 * Dragonfly rendered here. Everything else (database, SMTP, object storage…) comes from its provider.
 */
export function keyGenerators(loaded: LoadedInstance): KeyGenerator[] {
  const namespace = loaded.instance.namespace;
  const appSecret = appSecretName(loaded);
  const version = loaded.instance.mastodon.version;
  const appKeys = generateAppSecrets(version).map(([key]) => key);
  const vapid = appKeys.filter((k) => k.startsWith('VAPID_'));
  const generators: KeyGenerator[] = [
    ...appKeys.filter((k) => !vapid.includes(k)).map((key): KeyGenerator => ({
      namespace, name: appSecret, keys: [key], generate: () => ({ [key]: new Map(generateAppSecrets(version)).get(key)! }),
    })),
    ...(vapid.length > 0 ? [{ namespace, name: appSecret, keys: vapid, generate: () => Object.fromEntries(generateAppSecrets(version).filter(([k]) => vapid.includes(k))) }] : []),
  ];
  const model = buildModel(loaded);
  for (const { role } of REDIS_ROLES) {
    const served = model.redis[role];
    if (!('dragonfly' in served)) continue;
    const { name, key } = served.dragonfly.password;
    // Dragonflies run in the instance namespace, beside the Secret their password is in.
    if (generators.some((g) => g.namespace === namespace && g.name === name && g.keys.includes(key))) continue;
    generators.push({ namespace, name, keys: [key], generate: () => ({ [key]: alphanumeric(DRAGONFLY_PASSWORD_LENGTH) }) });
  }
  return generators;
}

/** Why sealing stopped; names Secrets and keys, never a value. */
export class SealError extends Error {}

/** One key sealed by this run and where its value came from. */
export interface SealedKey {
  readonly key: string;
  readonly how: 'generated' | 'given';
}

/** The SealedSecret file of one Secret after this run. */
export interface SealedSecretUpdate {
  readonly namespace: string;
  readonly name: string;
  /** Every key's sealed value: the committed ones, with this run's added or replaced. */
  readonly encryptedData: Readonly<Record<string, string>>;
  readonly changed: readonly SealedKey[];
}

export interface SealPlan {
  /** The Secrets whose file changes. */
  readonly updates: readonly SealedSecretUpdate[];
  /** What the instance still needs that is neither committed nor sealed by this run. */
  readonly missing: readonly NeededSecret[];
}

export interface SealInput {
  readonly needed: readonly NeededSecret[];
  readonly committed: readonly SealedSecretFile[];
  /** Values given by the person (`<Secret>/<key>` or `<namespace>/<Secret>/<key>` → value). */
  readonly given: ReadonlyMap<string, string>;
  readonly generators: readonly KeyGenerator[];
  /** Which keys to generate again although they are committed (rotate). @default none */
  readonly regenerate?: readonly { readonly namespace: string; readonly name: string; readonly key: string }[];
  readonly instanceNamespace: string;
  readonly seal: (namespace: string, name: string, value: string) => string;
}

/** Seals with the controller's key, strict scope: the value unseals only as `namespace/name`. */
export function sealerFor(key: KeyObject): SealInput['seal'] {
  return (namespace, name, value) => sealValue(key, encryptionLabel(namespace, name, 'strict'), Buffer.from(value, 'utf8'));
}

/** `name/key` for the instance namespace, else `namespace/name/key`: how a value is addressed in the input. */
export function keyAddress(instanceNamespace: string, namespace: string, name: string, key: string): string {
  return namespace === instanceNamespace ? `${name}/${key}` : `${namespace}/${name}/${key}`;
}

/**
 * What to seal, Secret by Secret and key by key (as `kubeseal --merge-into` merges,
 * sealed-secrets@v0.36.6 pkg/kubeseal/kubeseal.go:459-462): committed keys stay as they are; a
 * given value is sealed (replacing a committed one); a missing key mastodon-cdk8s can make is
 * generated, a VAPID pair only as a pair. A given value for a key the instance does not read is
 * an error (a typo would otherwise be sealed and ignored).
 */
export function planSeal(input: SealInput): SealPlan {
  const { needed, committed, given, generators, instanceNamespace } = input;
  const address = (ns: string, name: string, key: string) => keyAddress(instanceNamespace, ns, name, key);
  const known = new Set(needed.flatMap((s) => s.keys.map((k) => address(s.namespace, s.name, k))));
  const unknown = [...given.keys()].filter((a) => !known.has(a));
  if (unknown.length > 0) {
    throw new SealError(`the instance reads no ${unknown.map((a) => `\`${a}\``).join(', ')}; a value is addressed as <Secret>/<key> (or <namespace>/<Secret>/<key> outside ${instanceNamespace}), one of: ${[...known].join(', ')}`);
  }
  const regenerate = new Set((input.regenerate ?? []).map((r) => address(r.namespace, r.name, r.key)));
  const updates: SealedSecretUpdate[] = [];
  const missing: NeededSecret[] = [];
  for (const secret of needed) {
    const current = committed.find((c) => c.namespace === secret.namespace && c.name === secret.name)?.encryptedData ?? {};
    const data: Record<string, string> = { ...current };
    const changed: SealedKey[] = [];
    const isSealed = (key: string) => key in data && !regenerate.has(address(secret.namespace, secret.name, key));
    for (const key of secret.keys) {
      const value = given.get(address(secret.namespace, secret.name, key));
      if (value !== undefined) {
        data[key] = input.seal(secret.namespace, secret.name, value);
        changed.push({ key, how: 'given' });
      }
    }
    for (const generator of generators.filter((g) => g.namespace === secret.namespace && g.name === secret.name)) {
      const open = generator.keys.filter((k) => secret.keys.includes(k) && !isSealed(k) && !changed.some((c) => c.key === k));
      if (open.length === 0) continue;
      if (open.length < generator.keys.length) {
        const done = generator.keys.filter((k) => !open.includes(k));
        throw new SealError(`${secret.name}: ${done.join(', ')} ${done.length === 1 ? 'is' : 'are'} sealed or given but ${open.join(', ')} ${open.length === 1 ? 'is' : 'are'} not; ${generator.keys.join(' and ')} are one key pair: give both, or make a new pair with \`mastodon-cdk8s secrets rotate ${generator.keys[0]}\``);
      }
      const values = generator.generate();
      for (const key of open) {
        data[key] = input.seal(secret.namespace, secret.name, values[key]);
        changed.push({ key, how: 'generated' });
      }
    }
    const absent = secret.keys.filter((k) => !(k in data));
    if (absent.length > 0) missing.push({ namespace: secret.namespace, name: secret.name, keys: absent });
    if (changed.length > 0) {
      const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      updates.push({ namespace: secret.namespace, name: secret.name, encryptedData: sorted, changed });
    }
  }
  return { updates, missing };
}

/**
 * The committed file of one SealedSecret: strict scope (no scope annotation), per-key
 * `encryptedData`, the Secret's name and namespace in its template (sealedsecret_expansion.go:209-262
 * `NewSealedSecret` writes the same shape). Synth adds the labels when it renders it.
 */
export function sealedSecretFileText(update: Pick<SealedSecretUpdate, 'namespace' | 'name' | 'encryptedData'>): string {
  const { namespace, name, encryptedData } = update;
  return '# Written by `mastodon-cdk8s secrets seal`: each value is encrypted for the cluster\'s Sealed Secrets\n'
    + '# controller and unseals only as this Secret in this namespace. Safe to commit; never edit by hand.\n'
    + toYaml({
      apiVersion: SEALED_SECRET_API_VERSION,
      kind: SEALED_SECRET_KIND,
      metadata: { name, namespace },
      spec: { encryptedData, template: { metadata: { name, namespace }, type: 'Opaque' } },
    });
}

/** Where the update of a Secret is written. */
export function sealedFileOf(loaded: LoadedInstance, secret: { readonly namespace: string; readonly name: string }): string {
  return sealedFile(loaded.dir, secret.namespace, secret.name);
}

/**
 * The values a person gives, as `kubectl create secret --from-env-file` reads them: one
 * `name=value` per line, the value everything after the first `=` (kept as typed: no quotes are
 * removed), blank lines and `#` comments skipped. `name` is `<Secret>/<key>`, or the key alone
 * when `secret` names the Secret. Problems name the line, never its value.
 */
export function parseValues(text: string, origin: string, secret?: string): Map<string, string> {
  const values = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const at = `${origin}, line ${i + 1}`;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new SealError(`${at}: expected ${secret ? 'key' : '<Secret>/<key>'}=value`);
    const name = line.slice(0, eq).trim();
    const value = line.slice(eq + 1);
    // Only a name that looks like one is ever repeated in a message: a line that is a pasted value is not.
    if (!(secret ? /^[-._a-zA-Z0-9]+$/ : /^([a-z0-9][-a-z0-9]*\/)?[a-z0-9][-.a-z0-9]*\/[-._a-zA-Z0-9]+$/).test(name)) {
      throw new SealError(`${at}: the name before '=' is not ${secret ? 'a Secret key' : '<Secret>/<key>'}`);
    }
    if (value === '') throw new SealError(`${at}: ${name} has an empty value`);
    const address = secret ? `${secret}/${name}` : name;
    if (values.has(address)) throw new SealError(`${at}: ${name} is given twice`);
    values.set(address, value);
  }
  return values;
}
