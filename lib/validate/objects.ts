import { POD_TEMPLATE_PATHS } from '../catalog/pod-templates';
import { ValuePath } from '../core/source';
import { RenderedObject } from './object-problem';

export type Labels = Readonly<Record<string, string>>;
export type Json = Record<string, any>;

/** A pod template (or a bare Pod) inside a rendered object. */
export interface PodTemplateAt {
  readonly at: RenderedObject;
  /** Path of the template: its `metadata` and `spec` are below. */
  readonly path: ValuePath;
  readonly labels: Labels;
  readonly spec: Json;
}

/** A container of a pod template, with its path. */
export interface ContainerAt {
  readonly template: PodTemplateAt;
  readonly path: ValuePath;
  readonly container: Json;
}

/** The value at `path`, or undefined. */
export function get(value: unknown, path: ValuePath): any {
  let v: any = value;
  for (const segment of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[segment];
  }
  return v;
}

export function namespaceOf(o: RenderedObject): string {
  return o.object.metadata?.namespace ?? '';
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ''). */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

export function podTemplates(objects: readonly RenderedObject[]): PodTemplateAt[] {
  return objects.flatMap((at) => {
    if (at.object.kind === 'Pod') return [{ at, path: [], labels: at.object.metadata?.labels ?? {}, spec: get(at.object, ['spec']) ?? {} }];
    const path = POD_TEMPLATE_PATHS[at.object.kind];
    const template = path && get(at.object, path);
    if (!template) return [];
    return [{ at, path, labels: get(template, ['metadata', 'labels']) ?? {}, spec: get(template, ['spec']) ?? {} }];
  });
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

export function containersOf(template: PodTemplateAt): ContainerAt[] {
  return CONTAINER_LISTS.flatMap((list) => ((template.spec[list] ?? []) as Json[]).map((container, i) => ({
    template, container, path: [...template.path, 'spec', list, i],
  })));
}

/** A LabelSelector (`matchLabels` and `matchExpressions`). */
export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: string[] }[];
}

/** Whether a LabelSelector selects `labels`. An empty selector selects everything. */
export function selects(selector: LabelSelector, labels: Labels): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return byLabels && (selector.matchExpressions ?? []).every((e) => {
    switch (e.operator) {
      case 'In': return k(e.key) && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn': return !k(e.key) || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists': return k(e.key);
      case 'DoesNotExist': return !k(e.key);
      default: return false;
    }
  });
  function k(key: string) { return Object.prototype.hasOwnProperty.call(labels, key); }
}

/** `key=value, …` of a label map, for messages. */
export function showLabels(labels: Labels): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ');
}

const BY_NAME = new WeakMap<readonly RenderedObject[], Map<string, RenderedObject[]>>();

/** `objects` by kind, namespace and name, built once per array (a scan per reference made validate quadratic in the instance count). */
function byName(objects: readonly RenderedObject[]): Map<string, RenderedObject[]> {
  let index = BY_NAME.get(objects);
  if (!index) {
    index = new Map();
    for (const o of objects) {
      const key = nameKey(o.object.kind, namespaceOf(o), o.object.metadata?.name);
      const list = index.get(key);
      if (list) list.push(o); else index.set(key, [o]);
    }
    BY_NAME.set(objects, index);
  }
  return index;
}

function nameKey(kind: string, namespace: string, name: unknown): string {
  return JSON.stringify([kind, namespace, name]);
}

/** The first object of `kind` named `name` in `namespace` (and API group, when given). */
export function findObject(objects: readonly RenderedObject[], ref: { kind: string; name: string; namespace: string; group?: string }): RenderedObject | undefined {
  return byName(objects).get(nameKey(ref.kind, ref.namespace, ref.name))
    ?.find((o) => ref.group === undefined || groupOf(o.object.apiVersion) === ref.group);
}
