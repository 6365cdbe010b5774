import { parseAllDocuments } from 'yaml';
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

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ResourceChange {
  readonly id: ResourceId;
  readonly change: ChangeKind;
  /** The file it is rendered to (before, for a removed resource). */
  readonly file: string;
  /** For a changed resource: what changed; a move to another file is a change of `(file)`. */
  readonly fields: readonly FieldChange[];
  /** For a changed resource: the object as rendered before and after, for checks beyond the field list. */
  readonly objects?: { readonly before: unknown; readonly after: unknown };
}

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
 */
export function compareTrees(before: RenderedTree, after: RenderedTree): TreeDiff {
  const a = splitTree(before);
  const b = splitTree(after);
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

/** `Deployment mastodon/web`, `ClusterIssuer letsencrypt`. */
export function describeResource(id: ResourceId): string {
  return `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

function idKey(id: ResourceId): string {
  return `${id.apiVersion}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}

/** Objects of the YAML files by identity; files that are not all Kubernetes objects stay files. */
function splitTree(tree: RenderedTree): { objects: Map<string, Located>; files: Map<string, string> } {
  const objects = new Map<string, Located>();
  const files = new Map<string, string>();
  for (const [file, content] of tree) {
    const found = /\.ya?ml$/.test(file) ? kubernetesObjects(content) : undefined;
    if (!found) {
      files.set(file, content);
      continue;
    }
    for (const { id, object } of found) objects.set(idKey(id), { id, file, object });
  }
  return { objects, files };
}

/** The objects of `kind` in a rendered tree, found by their file names (`<Kind>.<name>.yaml`). */
export function objectsOfKind(tree: RenderedTree, kind: string): unknown[] {
  const prefix = `${kind}.`;
  return [...tree].filter(([file]) => file.slice(file.lastIndexOf('/') + 1).startsWith(prefix))
    .flatMap(([, content]) => (kubernetesObjects(content) ?? []).map((found) => found.object));
}

/** The Kubernetes objects of a YAML file, or undefined when it is not (only) that. */
function kubernetesObjects(content: string): { id: ResourceId; object: unknown }[] | undefined {
  // cdk8s writes YAML 1.1; both sides are read the same way.
  const docs = parseAllDocuments(content, { version: '1.1' });
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined;
  const found: { id: ResourceId; object: unknown }[] = [];
  for (const doc of docs) {
    const object = doc.toJS() as Record<string, any> | null;
    if (object === null) continue;
    const { apiVersion, kind, metadata } = object;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof metadata?.name !== 'string') return undefined;
    found.push({ id: { apiVersion, kind, name: metadata.name, ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}) }, object });
  }
  return found.length > 0 ? found : undefined;
}

/**
 * The paths at which two values differ. Lists of objects that all carry a unique `name`
 * (containers, env, ports, volumes) are matched by name, `containers[mastodon]`; other lists of
 * objects by position, `rules[0]`; lists of scalars (args, command) are compared whole.
 */
export function changedFields(before: unknown, after: unknown, at = ''): FieldChange[] {
  if (deepEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compare);
    return keys.flatMap((k) => child(before, after, k, joinKey(at, k)));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.some(isRecord) && after.some(isRecord)) {
    const a = byName(before);
    const b = byName(after);
    if (a && b) {
      const names = [...new Set([...a.keys(), ...b.keys()])];
      const changes = names.flatMap((n) => child(Object.fromEntries(a), Object.fromEntries(b), n, `${at}[${n}]`));
      const order = (m: Map<string, unknown>) => [...m.keys()].filter((n) => a.has(n) && b.has(n)).join('\n');
      // Order matters in env: `$(VAR)` only sees variables defined before it.
      return order(a) === order(b) ? changes : [{ path: `${at} (order)`, before: [...a.keys()], after: [...b.keys()] }, ...changes];
    }
    const indexes = Array.from({ length: Math.max(before.length, after.length) }, (_, i) => String(i));
    return indexes.flatMap((i) => child(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>, i, `${at}[${i}]`));
  }
  return [{ path: at, before, after }];
}

function child(before: Record<string, unknown>, after: Record<string, unknown>, key: string, path: string): FieldChange[] {
  const inBefore = Object.prototype.hasOwnProperty.call(before, key);
  const inAfter = Object.prototype.hasOwnProperty.call(after, key);
  if (!inBefore) return [{ path, after: after[key] }];
  if (!inAfter) return [{ path, before: before[key] }];
  return changedFields(before[key], after[key], path);
}

/** Items by their `name`, when every item is an object with a unique string name. */
function byName(items: readonly unknown[]): Map<string, unknown> | undefined {
  const out = new Map<string, unknown>();
  for (const item of items) {
    const name = isRecord(item) ? item.name : undefined;
    if (typeof name !== 'string' || out.has(name)) return undefined;
    out.set(name, item);
  }
  return out;
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
