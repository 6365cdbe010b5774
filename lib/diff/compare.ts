import { parseAllDocuments } from 'yaml';
import { fastDocuments } from '../core/read-yaml';
import { RenderedTree } from '../core/tree';

/** A Kubernetes object's identity: apiVersion, kind, namespace and name. */
export interface ResourceId {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** One changed field, by path (`spec.template.spec.containers[mastodon].image`). */
export interface FieldChange {
  readonly path: string;
  /** Absent when the field was added. */
  readonly before?: unknown;
  /** Absent when the field was removed. */
  readonly after?: unknown;
}

export type ChangeKind = 'added' | 'removed' | 'changed' | 'renamed';

export interface ResourceChange {
  readonly id: ResourceId;
  readonly change: ChangeKind;
  /** The file it is rendered to (before, for a removed resource). */
  readonly file: string;
  /** For a changed resource: what changed; a move to another file is a change of `(file)`. */
  readonly fields: readonly FieldChange[];
  /** For a changed resource: the object as rendered before and after, for checks beyond the field list. */
  readonly objects?: { readonly before: unknown; readonly after: unknown };
  /**
   * For a renamed resource (`id` is the new one): the old identity and file, and the part of the
   * name that changed (`ingress` → `inbound` for `sidekiq-ingress` → `sidekiq-inbound`); `fields`
   * then lists what changed beyond the name.
   */
  readonly renamedFrom?: { readonly id: ResourceId; readonly file: string; readonly part: { readonly before: string; readonly after: string } };
}

/** A removed and an added resource of one kind this alike (share of equal fields, the name aside) are a rename; git's default is 50 %. */
export const RENAME_SIMILARITY = 0.6;

/** A file that holds no Kubernetes objects (SECRETS.md), compared as a whole. */
export interface FileChange {
  readonly file: string;
  readonly change: ChangeKind;
}

export interface TreeDiff {
  readonly resources: readonly ResourceChange[];
  readonly files: readonly FileChange[];
}

interface Located {
  readonly id: ResourceId;
  readonly file: string;
  readonly object: unknown;
}

/** The path segment of a file move, listed among a resource's changed fields. */
export const FILE_FIELD = '(file)';

export function isEmpty(diff: TreeDiff): boolean {
  return diff.resources.length === 0 && diff.files.length === 0;
}

/**
 * Compares two rendered trees (path → content) the way a reviewer reads them: Kubernetes objects
 * by identity, with the paths of the fields that changed; other files as files. Pure.
 *
 * A file byte-identical at the same path on both sides is not parsed: its objects are the same
 * on both sides, and an object can only be added, removed, moved or changed through a file that
 * differs (a render never writes one object into two files; lib/validate `noDuplicates`). With a
 * thousand instances and one changed, this parses one instance's files instead of all of them.
 */
export function compareTrees(before: RenderedTree, after: RenderedTree): TreeDiff {
  const a = splitTree(before, after);
  const b = splitTree(after, before);
  const resources: ResourceChange[] = [];
  for (const [key, old] of a.objects) {
    const now = b.objects.get(key);
    if (!now) {
      resources.push({ id: old.id, change: 'removed', file: old.file, fields: [] });
      continue;
    }
    const fields = changedFields(old.object, now.object);
    if (old.file !== now.file) fields.unshift({ path: FILE_FIELD, before: old.file, after: now.file });
    if (fields.length > 0) resources.push({ id: now.id, change: 'changed', file: now.file, fields, objects: { before: old.object, after: now.object } });
  }
  for (const [key, now] of b.objects) {
    if (!a.objects.has(key)) resources.push({ id: now.id, change: 'added', file: now.file, fields: [] });
  }
  const renamed = renames(resources, a.objects, b.objects);
  const kept = resources.filter((r) => !renamed.consumed.has(r));
  resources.length = 0;
  resources.push(...kept, ...renamed.changes);
  const files: FileChange[] = [];
  for (const [file, content] of a.files) {
    if (!b.files.has(file)) files.push({ file, change: 'removed' });
    else if (b.files.get(file) !== content) files.push({ file, change: 'changed' });
  }
  for (const file of b.files.keys()) if (!a.files.has(file)) files.push({ file, change: 'added' });
  return {
    resources: resources.sort((x, y) => compare(x.file, y.file) || compare(idKey(x.id), idKey(y.id))),
    files: files.sort((x, y) => compare(x.file, y.file)),
  };
}

/**
 * Pairs removed and added resources of the same apiVersion, kind and namespace that are the same
 * object under a new name: with the old name (and the part of it that changed, as a whole value,
 * e.g. the pool label) replaced by the new one, at least RENAME_SIMILARITY of their fields are
 * equal. Best pairs first, ties by name. Argo CD sees a delete and a create; the report says so.
 */
function renames(resources: readonly ResourceChange[], a: Map<string, Located>, b: Map<string, Located>) {
  const removed = resources.filter((r) => r.change === 'removed');
  const added = resources.filter((r) => r.change === 'added');
  const candidates: { r: ResourceChange; n: ResourceChange; score: number; renamedBefore: unknown; part: { before: string; after: string } }[] = [];
  for (const r of removed) {
    for (const n of added) {
      if (r.id.apiVersion !== n.id.apiVersion || r.id.kind !== n.id.kind || r.id.namespace !== n.id.namespace) continue;
      const part = changedPart(r.id.name, n.id.name);
      const renamedBefore = substitute(a.get(idKey(r.id))!.object, r.id.name, n.id.name, part);
      const score = similarity(renamedBefore, b.get(idKey(n.id))!.object);
      if (score >= RENAME_SIMILARITY) candidates.push({ r, n, score, renamedBefore, part });
    }
  }
  candidates.sort((x, y) => y.score - x.score || compare(x.r.id.name, y.r.id.name) || compare(x.n.id.name, y.n.id.name));
  const consumed = new Set<ResourceChange>();
  const changes: ResourceChange[] = [];
  for (const c of candidates) {
    if (consumed.has(c.r) || consumed.has(c.n)) continue;
    consumed.add(c.r).add(c.n);
    const after = b.get(idKey(c.n.id))!.object;
    const fields = changedFields(c.renamedBefore, after);
    // The file follows the name (`<Kind>.<name>.yaml`); only another move is a change.
    if (c.r.file.replace(`.${c.r.id.name}.yaml`, `.${c.n.id.name}.yaml`) !== c.n.file) fields.unshift({ path: FILE_FIELD, before: c.r.file, after: c.n.file });
    changes.push({ id: c.n.id, change: 'renamed', file: c.n.file, fields, renamedFrom: { id: c.r.id, file: c.r.file, part: c.part } });
  }
  return { consumed, changes };
}

/** The `-`-separated words of a name that changed: `sidekiq-ingress` → `sidekiq-inbound` gives `ingress` → `inbound`. */
function changedPart(before: string, after: string): { before: string; after: string } {
  const x = before.split('-');
  const y = after.split('-');
  let head = 0;
  while (head < Math.min(x.length, y.length) - 1 && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < Math.min(x.length, y.length) - head - 1 && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  return { before: x.slice(head, x.length - tail).join('-'), after: y.slice(head, y.length - tail).join('-') };
}

/** `value` with the old name replaced by the new one wherever it stands as a word, and the changed part where it is a whole value. */
function substitute(value: unknown, from: string, to: string, part: { before: string; after: string }): unknown {
  if (typeof value === 'string') {
    if (value === part.before) return part.after;
    const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return value.replace(new RegExp(`(?<![A-Za-z0-9-])${escaped}(?![A-Za-z0-9-])`, 'g'), to);
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, from, to, part));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, from, to, part)]));
  return value;
}

/** The share of leaf values (by path) equal in both, over the leaves of either. */
function similarity(a: unknown, b: unknown): number {
  const la = leaves(a);
  const lb = leaves(b);
  const paths = new Set([...la.keys(), ...lb.keys()]);
  if (paths.size === 0) return 1;
  let equal = 0;
  for (const p of paths) if (la.has(p) && lb.has(p) && la.get(p) === lb.get(p)) equal++;
  return equal / paths.size;
}

function leaves(value: unknown, at = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${at}[${i}]`, out));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) leaves(v, `${at}.${k}`, out);
  else out.set(at, JSON.stringify(value) ?? 'null');
  return out;
}

/** `Deployment mastodon/web`, `ClusterIssuer letsencrypt`. */
export function describeResource(id: ResourceId): string {
  return `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

function idKey(id: ResourceId): string {
  return `${id.apiVersion}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}

/**
 * Objects of the YAML files by identity; files that are not all Kubernetes objects stay files.
 * Files of `tree` that `other` holds byte-identical at the same path are left out.
 */
function splitTree(tree: RenderedTree, other: RenderedTree): { objects: Map<string, Located>; files: Map<string, string> } {
  const objects = new Map<string, Located>();
  const files = new Map<string, string>();
  for (const [file, content] of tree) {
    if (other.get(file) === content) continue;
    const found = /\.ya?ml$/.test(file) ? kubernetesObjects(content) : undefined;
    if (!found) {
      files.set(file, content);
      continue;
    }
    for (const { id, object } of found) objects.set(idKey(id), { id, file, object });
  }
  return { objects, files };
}

/** Every Kubernetes object of a rendered tree, in file order. */
export function treeObjects(tree: RenderedTree): unknown[] {
  return [...tree].filter(([file]) => /\.ya?ml$/.test(file)).flatMap(([, content]) => (kubernetesObjects(content) ?? []).map((found) => found.object));
}

/** The objects of `kind` in a rendered tree, found by their file names (`<Kind>.<name>.yaml`). */
export function objectsOfKind(tree: RenderedTree, kind: string): unknown[] {
  const prefix = `${kind}.`;
  return [...tree].filter(([file]) => file.slice(file.lastIndexOf('/') + 1).startsWith(prefix))
    .flatMap(([, content]) => (kubernetesObjects(content) ?? []).map((found) => found.object));
}

type Found = { id: ResourceId; object: unknown }[] | undefined;

/** Parses by content while withSharedParses runs (undefined otherwise). */
let sharedParses: Map<string, Found> | undefined;

/**
 * Runs `fn` with every file content parsed at most once, however many trees hold it and however
 * many readers (compareTrees, treeObjects, objectsOfKind) ask for it: a diff reads both trees
 * for its objects, its Secrets and its plan delta. The parsed objects are shared: readers must
 * not change them.
 */
export function withSharedParses<T>(fn: () => T): T {
  const outer = sharedParses;
  sharedParses = outer ?? new Map();
  try {
    return fn();
  } finally {
    sharedParses = outer;
  }
}

/** The Kubernetes objects of a YAML file, or undefined when it is not (only) that. */
function kubernetesObjects(content: string): Found {
  if (!sharedParses) return parseKubernetesObjects(content);
  if (sharedParses.has(content)) return sharedParses.get(content);
  const found = parseKubernetesObjects(content);
  sharedParses.set(content, found);
  return found;
}

function parseKubernetesObjects(content: string): Found {
  const objects = fastDocuments(content) ?? libraryObjects(content);
  if (!objects) return undefined;
  const found: { id: ResourceId; object: unknown }[] = [];
  for (const value of objects) {
    const object = value as Record<string, any> | null;
    if (object === null) continue;
    const { apiVersion, kind, metadata } = object;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof metadata?.name !== 'string') return undefined;
    found.push({ id: { apiVersion, kind, name: metadata.name, ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}) }, object });
  }
  return found.length > 0 ? found : undefined;
}

/** The documents of a file the fast reader leaves to the library, or undefined when one has an error. */
function libraryObjects(content: string): unknown[] | undefined {
  // cdk8s writes YAML 1.1; both sides are read the same way (the fast reader's files read alike in 1.1 and 1.2).
  const docs = parseAllDocuments(content, { version: '1.1' });
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined;
  return docs.map((d) => d.toJS() as unknown);
}

/**
 * The paths at which two values differ. Lists are matched the way a reviewer reads them: items by
 * their key (containers, env, volumes by `name`, `containers[mastodon]`; volumeMounts by mount path,
 * ports by port, Ingress rules by host, paths by path…: `rules[host=b.example.social]`), so a
 * removed item reads as removed, not as every later item shifted; lists of sets (hostnames,
 * syncOptions…) item by item; other lists of records by equal content first, then in order
 * (`[i]`, the index after); ordered lists of scalars (args, command) whole.
 */
export function changedFields(before: unknown, after: unknown, at = ''): FieldChange[] {
  if (deepEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compare);
    return keys.flatMap((k) => child(before, after, k, joinKey(at, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) return changedItems(before, after, at);
  return [{ path: at, before, after }];
}

/** The last field name of a path: `spec.rules[host=a].http.paths` → `paths`. */
function listName(at: string): string {
  const m = /([A-Za-z_][A-Za-z0-9_]*)$/.exec(at);
  return m ? m[1] : '';
}

/** Scalar lists whose order means nothing: compared as sets. */
const SET_LISTS = new Set(['hostnames', 'hosts', 'sourceRepos', 'syncOptions', 'finalizers', 'accessModes', 'dnsNames', 'usages', 'ipBlocks', 'namespaces']);

/** How an item of a list is identified, by the list's field name; the default is a unique `name`. */
const ITEM_KEYS: Readonly<Record<string, (item: Record<string, unknown>) => string | undefined>> = {
  volumeMounts: (i) => field('mountPath', i.mountPath),
  ports: (i) => (i.port !== undefined ? field('port', i.port, i.protocol) : field('containerPort', i.containerPort, i.protocol)),
  rules: (i) => (typeof i.host === 'string' ? field('host', i.host) : undefined),
  paths: (i) => field('path', i.path, i.pathType === 'Prefix' ? undefined : i.pathType),
  tls: (i) => field('secretName', i.secretName),
  tolerations: (i) => field('key', i.key ?? '*', [i.operator, i.effect].filter(Boolean).join('/') || undefined),
  topologySpreadConstraints: (i) => field('topologyKey', i.topologyKey, i.whenUnsatisfiable),
  envFrom: (i) => (isRecord(i.configMapRef) ? field('configMapRef', i.configMapRef.name, i.prefix) : isRecord(i.secretRef) ? field('secretRef', i.secretRef.name, i.prefix) : undefined),
  destinations: (i) => field('namespace', i.namespace ?? '*', i.server ?? i.name),
  parentRefs: (i) => field('name', i.name, i.sectionName),
  ignoreDifferences: (i) => field('kind', [i.group, i.kind].filter(Boolean).join('/'), [i.namespace, i.name].filter(Boolean).join('/') || undefined),
  clusterResourceWhitelist: (i) => field('kind', [i.group, i.kind].filter((x) => x !== undefined && x !== '').join('/')),
  namespaceResourceWhitelist: (i) => field('kind', [i.group, i.kind].filter((x) => x !== undefined && x !== '').join('/')),
};

/** `host=b.example.social`, `containerPort=3000/UDP`; undefined when the key's value is missing. */
function field(name: string, value: unknown, qualifier?: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  return `${name}=${value}${qualifier !== undefined && qualifier !== '' && qualifier !== 'TCP' ? `/${String(qualifier)}` : ''}`;
}

/** Items by key, when every item has one and keys are unique; `[name]` segments print bare. */
function keyed(items: readonly unknown[], list: string): Map<string, unknown> | undefined {
  const keyOf = ITEM_KEYS[list];
  const out = new Map<string, unknown>();
  for (const item of items) {
    if (!isRecord(item)) return undefined;
    const key = keyOf ? keyOf(item) : typeof item.name === 'string' ? item.name : undefined;
    if (key === undefined || out.has(key)) return undefined;
    out.set(key, item);
  }
  return out;
}

function changedItems(before: readonly unknown[], after: readonly unknown[], at: string): FieldChange[] {
  const list = listName(at);
  const records = before.concat(after).every(isRecord);
  if (records && before.length + after.length > 0) {
    const a = keyed(before, list);
    const b = keyed(after, list);
    if (a && b) {
      const keys = [...new Set([...a.keys(), ...b.keys()])];
      const changes = keys.flatMap((k) => child(Object.fromEntries(a), Object.fromEntries(b), k, `${at}[${k}]`));
      const order = (m: Map<string, unknown>) => [...m.keys()].filter((k) => a.has(k) && b.has(k)).join('\n');
      // Order matters in env: `$(VAR)` only sees variables defined before it.
      return order(a) === order(b) ? changes : [{ path: `${at} (order)`, before: [...a.keys()], after: [...b.keys()] }, ...changes];
    }
    return unkeyedRecords(before, after, at);
  }
  if (SET_LISTS.has(list) && !before.concat(after).some((v) => isRecord(v) || Array.isArray(v))) {
    const was = new Set(before.map((v) => JSON.stringify(v)));
    const now = new Set(after.map((v) => JSON.stringify(v)));
    const changes: FieldChange[] = [
      ...before.filter((v) => !now.has(JSON.stringify(v))).map((v) => ({ path: `${at}[${String(v)}]`, before: v })),
      ...after.filter((v) => !was.has(JSON.stringify(v))).map((v) => ({ path: `${at}[${String(v)}]`, after: v })),
    ];
    return changes.length > 0 ? changes : [{ path: `${at} (order)`, before, after }];
  }
  return [{ path: at, before, after }];
}

/**
 * Records without a key: items equal on both sides are matched first (longest common
 * subsequence), so a removed item reads as removed; the rest pair up in order and are compared
 * field by field, at their index after the change.
 */
function unkeyedRecords(before: readonly unknown[], after: readonly unknown[], at: string): FieldChange[] {
  const matched = lcs(before.map(canonical), after.map(canonical));
  const gone = before.map((_, i) => i).filter((i) => !matched.has(i));
  const used = new Set(matched.values());
  const come = after.map((_, j) => j).filter((j) => !used.has(j));
  const changes: FieldChange[] = [];
  const pairs = Math.min(gone.length, come.length);
  for (let n = 0; n < pairs; n++) changes.push(...changedFields(before[gone[n]], after[come[n]], `${at}[${come[n]}]`));
  for (const i of gone.slice(pairs)) changes.push({ path: `${at}[${i}]`, before: before[i] });
  for (const j of come.slice(pairs)) changes.push({ path: `${at}[${j}]`, after: after[j] });
  return changes;
}

/** A line diff of two texts: ` ` kept, `-` removed, `+` added lines, in order. */
export function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const matched = lcs(a, b);
  const out: string[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const to = matched.get(i);
    if (to === undefined) { out.push(`-${a[i]}`); continue; }
    for (; j < to; j++) out.push(`+${b[j]}`);
    out.push(` ${a[i]}`);
    j = to + 1;
  }
  for (; j < b.length; j++) out.push(`+${b[j]}`);
  return out;
}

/** Longest common subsequence of two string lists: index in `a` → index in `b`. */
function lcs(a: readonly string[], b: readonly string[]): Map<number, number> {
  const len = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) len[i][j] = a[i] === b[j] ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
  }
  const out = new Map<number, number>();
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) out.set(i++, j++);
    else if (len[i + 1][j] >= len[i][j + 1]) i++;
    else j++;
  }
  return out;
}

/** JSON with sorted keys: equal values, equal text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isRecord(v)) return `{${Object.keys(v).sort(compare).map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

function child(before: Record<string, unknown>, after: Record<string, unknown>, key: string, path: string): FieldChange[] {
  const inBefore = Object.prototype.hasOwnProperty.call(before, key);
  const inAfter = Object.prototype.hasOwnProperty.call(after, key);
  if (!inBefore) return [{ path, after: after[key] }];
  if (!inAfter) return [{ path, before: before[key] }];
  return changedFields(before[key], after[key], path);
}

/** `metadata.labels["app.kubernetes.io/version"]`, `spec.replicas`. */
function joinKey(at: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return at ? `${at}.${key}` : key;
  return `${at}[${JSON.stringify(key)}]`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
