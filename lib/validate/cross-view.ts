import { POD_TEMPLATE_PATHS } from '../catalog/pod-templates';
import { ValuePath } from '../core/source';
import { KubeObject, RenderedObject } from './object-problem';

/**
 * Views of objects with what the checks across objects read (a Service and the pods it selects, a
 * backend and its Service, an autoscaler and its target, duplicates, selectors and the Dragonfly
 * and cert-manager pods): apiVersion, kind, metadata and spec, with the spec of each pod template
 * cut down to its affinity and its containers' names and ports. `validate` runs the checks of one
 * object on each file as it reads it and keeps only this view, its strings copied out of the
 * file's text (a slice of it would keep the whole file in memory) once per run: a thousand
 * instances' views are a fraction of their objects. test/validate/streamed.test.ts records every
 * field those checks read and holds the view to it.
 */
export function crossViews(): (o: RenderedObject) => RenderedObject {
  const strings = new Map<string, string>();
  return (o) => {
    const object = o.object as unknown as Json;
    const kind = object.kind;
    const templatePath = Object.hasOwn(POD_TEMPLATE_PATHS, kind) ? POD_TEMPLATE_PATHS[kind] : kind === 'Pod' ? [] : undefined;
    const pruned = SPEC_UNREAD.has(kind) ? replaceAt(object, ['spec'], (spec) => (isPlainObject(spec) ? pick(spec, ['replicas']) : spec)) as Json
      : templatePath === undefined ? object : replaceAt(object, [...templatePath, 'spec'], podSpecView) as Json;
    const view: Json = {};
    for (const key of KEPT_FIELDS) if (Object.hasOwn(pruned, key)) view[key] = copy(pruned[key], strings);
    return { file: o.file, object: view as unknown as KubeObject };
  };
}

type Json = Record<string, any>;

const KEPT_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec'];
/**
 * Kinds whose spec no check across objects reads (but an autoscaler's target's `replicas`):
 * Prometheus' rules and monitors, Argo CD's Applications and projects; half of what else is kept.
 */
const SPEC_UNREAD: ReadonlySet<unknown> = new Set(['PrometheusRule', 'PodMonitor', 'Application', 'AppProject']);
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];
const CONTAINER_FIELDS = ['name', 'ports'];

/** An object the reader made for a map: no prototype, or an Object.prototype (of any realm: tests run in another). */
function isPlainObject(value: unknown): value is Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** `value` with what is at `path` replaced by `replace` of it (shallow copies along the way); unchanged where the path is not there. */
function replaceAt(value: unknown, path: ValuePath, replace: (v: unknown) => unknown): unknown {
  if (path.length === 0) return replace(value);
  const [head, ...rest] = path;
  if (!isPlainObject(value) || !Object.hasOwn(value, head)) return value;
  const out = { ...value };
  out[head] = replaceAt(value[head], rest, replace);
  return out;
}

/** A pod spec with only its affinity and its containers' names and ports. */
function podSpecView(spec: unknown): unknown {
  if (!isPlainObject(spec)) return spec;
  const out: Json = {};
  if (Object.hasOwn(spec, 'affinity')) out.affinity = spec.affinity;
  for (const list of CONTAINER_LISTS) {
    if (!Object.hasOwn(spec, list)) continue;
    const containers = spec[list];
    out[list] = Array.isArray(containers) ? containers.map((c) => (isPlainObject(c) ? pick(c, CONTAINER_FIELDS) : c)) : containers;
  }
  return out;
}

function pick(value: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const key of keys) if (Object.hasOwn(value, key)) out[key] = value[key];
  return out;
}

/** A deep copy of the plain objects, arrays and strings (other values as they are: the library may read dates and the like). */
function copy(value: unknown, strings: Map<string, string>): unknown {
  if (typeof value === 'string') return flat(value, strings);
  if (Array.isArray(value)) return value.map((v) => copy(v, strings));
  if (!isPlainObject(value)) return value;
  const out: Json = {};
  for (const key of Object.keys(value)) {
    // An own `__proto__` (the library defines it so) stays a field, not the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copy(value[key], strings), writable: true, enumerable: true, configurable: true });
    else out[key] = copy(value[key], strings);
  }
  return out;
}

/**
 * One copy of each string, of its own: V8 makes a longer substring a slice that keeps its whole
 * parent (the file's text) alive, and the same labels and names recur in every instance.
 */
function flat(s: string, strings: Map<string, string>): string {
  if (s.length < 13) return s;
  let own = strings.get(s);
  if (own === undefined) {
    own = (` ${s}`).slice(1);
    strings.set(own, own);
  }
  return own;
}
