import { RenderedTree } from '../core/tree';
import { treeObjects } from './compare';

/** One key of a Secret that a rendered object reads (`*`: the whole Secret, e.g. `envFrom`). */
export interface SecretUse {
  readonly namespace: string;
  readonly name: string;
  readonly key: string;
  /** Who reads it: the environment variable, or `<Kind> <name>` for a Dragonfly, an issuer, a volume. */
  readonly readAs: string;
}

/** The Secrets and keys a change starts or stops reading. */
export interface SecretChanges {
  /** Secrets read after and not before: they must exist before the merge syncs. */
  readonly newSecrets: readonly SecretGroup[];
  /** New keys of Secrets already read: they must be added before the merge syncs. */
  readonly newKeys: readonly SecretGroup[];
  /** Secrets no longer read by anything rendered: delete them after the sync. */
  readonly unusedSecrets: readonly SecretGroup[];
  /** Keys no longer read, of Secrets still read. */
  readonly unusedKeys: readonly SecretGroup[];
}

export interface SecretGroup {
  readonly namespace: string;
  readonly name: string;
  readonly uses: readonly SecretUse[];
}

export const NO_SECRET_CHANGES: SecretChanges = { newSecrets: [], newKeys: [], unusedSecrets: [], unusedKeys: [] };

export interface SecretOptions {
  /** Where the Secrets of cluster-scoped objects (ClusterIssuers) live: cert-manager's cluster resource namespace. */
  readonly clusterSecretsNamespace: string;
}

/**
 * The Secrets (namespace, name, key) the objects of a rendered tree read — the structured facts
 * SECRETS.md is written from, read from the objects themselves, so both sides of a diff (also a
 * tree committed at another revision) give them: env `secretKeyRef` and `envFrom.secretRef`,
 * `secret` volumes, `imagePullSecrets`, and the `*SecretRef`/`passwordFromSecret` fields of custom
 * resources. Secrets the software creates itself (an ACME account's `privateKeySecretRef`, a
 * certificate's TLS Secret) are not counted.
 */
export function secretUses(tree: RenderedTree, options: SecretOptions): SecretUse[] {
  const uses = new Map<string, SecretUse>();
  const add = (use: SecretUse) => {
    const id = `${use.namespace}/${use.name}/${use.key}/${use.readAs}`;
    if (!uses.has(id)) uses.set(id, use);
  };
  for (const object of treeObjects(tree)) {
    if (!isRecord(object) || !isRecord(object.metadata)) continue;
    const namespace = typeof object.metadata.namespace === 'string' ? object.metadata.namespace : options.clusterSecretsNamespace;
    const owner = `${String(object.kind)} ${String(object.metadata.name)}`;
    walk(object.spec ?? object, owner, (name, key, readAs, ns) => add({ namespace: ns ?? namespace, name, key, readAs }));
  }
  return [...uses.values()].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.key, b.key) || cmp(a.readAs, b.readAs));
}

type Found = (name: string, key: string, readAs: string, namespace?: string) => void;

function walk(value: unknown, readAs: string, found: Found): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, readAs, found);
    return;
  }
  if (!isRecord(value)) return;
  // An env item names who reads its secretKeyRef; a volume its `secret`.
  const here = typeof value.name === 'string' && (isRecord(value.valueFrom) || isRecord(value.secret)) ? (isRecord(value.secret) ? `volume ${value.name}` : value.name) : readAs;
  for (const [k, v] of Object.entries(value)) {
    if (isRecord(v) && typeof v.name === 'string' && (k === 'secretKeyRef' || k === 'passwordFromSecret' || (k.endsWith('SecretRef') && k !== 'privateKeySecretRef'))) {
      found(v.name, typeof v.key === 'string' ? v.key : '*', here, typeof v.namespace === 'string' ? v.namespace : undefined);
    } else if (k === 'secretRef' && isRecord(v) && typeof v.name === 'string') {
      found(v.name, '*', `${here} (envFrom)`);
    } else if (k === 'secret' && isRecord(v) && typeof v.secretName === 'string') {
      const items = Array.isArray(v.items) ? v.items.filter(isRecord).map((i) => String(i.key)) : [];
      for (const key of items.length > 0 ? items : ['*']) found(v.secretName, key, here);
    } else if (k === 'imagePullSecrets' && Array.isArray(v)) {
      for (const s of v) if (isRecord(s) && typeof s.name === 'string') found(s.name, '.dockerconfigjson', `${readAs} (image pull)`);
    } else {
      walk(v, here, found);
    }
  }
}

/** What a change asks of whoever holds the Secrets: create before the merge, delete after. */
export function secretChanges(before: RenderedTree, after: RenderedTree, options: SecretOptions): SecretChanges {
  const was = secretUses(before, options);
  const now = secretUses(after, options);
  const secret = (u: SecretUse) => `${u.namespace}/${u.name}`;
  const key = (u: SecretUse) => `${secret(u)}/${u.key}`;
  const secretsWas = new Set(was.map(secret));
  const secretsNow = new Set(now.map(secret));
  const keysWas = new Set(was.map(key));
  const keysNow = new Set(now.map(key));
  return {
    newSecrets: group(now.filter((u) => !secretsWas.has(secret(u)))),
    newKeys: group(now.filter((u) => secretsWas.has(secret(u)) && !keysWas.has(key(u)))),
    unusedSecrets: group(was.filter((u) => !secretsNow.has(secret(u)))),
    unusedKeys: group(was.filter((u) => secretsNow.has(secret(u)) && !keysNow.has(key(u)))),
  };
}

export function hasSecretChanges(c: SecretChanges): boolean {
  return c.newSecrets.length + c.newKeys.length + c.unusedSecrets.length + c.unusedKeys.length > 0;
}

function group(uses: readonly SecretUse[]): SecretGroup[] {
  const out = new Map<string, SecretGroup>();
  for (const u of uses) {
    const id = `${u.namespace}/${u.name}`;
    const g = out.get(id);
    out.set(id, { namespace: u.namespace, name: u.name, uses: [...(g?.uses ?? []), u] });
  }
  return [...out.values()];
}

function isRecord(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
