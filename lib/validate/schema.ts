import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { version as ajvVersion } from 'ajv/package.json';
import { parseAllDocuments } from 'yaml';
import { pointerToPath, show } from '../core/show';
import { ValuePath } from '../core/source';
import { ObjectCheck, objectProblem, perObject, RenderedObject } from './object-problem';
import { groupOf, Json } from './objects';
import { SchemaCache, schemaCache } from './schema-cache';

/**
 * Schema checks: every object against the Kubernetes API's JSON Schema (the `definitions` file,
 * each kind tagged with `x-kubernetes-group-version-kind`) or its CRD's openAPIV3Schema, strictly:
 * an unknown field is an error, as it is for a server-side apply with field validation.
 * Only the definitions of kinds present are compiled (the whole API takes seconds).
 */

const K8S_ID = 'k8s';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** The schemas to validate against, by `group/version/kind`. */
export interface SchemaSet {
  /** What was loaded, for the summary line. */
  readonly description: string;
  /** Kinds the CRDs declare cluster-scoped. */
  readonly clusterScoped: ReadonlySet<string>;
  validator(apiVersion: string, kind: string): ValidateFunction | undefined;
}

function gvk(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

function gvkOf(apiVersion: string, kind: string): string {
  return gvk(groupOf(apiVersion), apiVersion.split('/').pop() as string, kind);
}

/**
 * Makes a schema strict the way the API server's field validation is: objects with `properties`
 * reject other fields unless they preserve unknown fields; `x-kubernetes-int-or-string` and
 * `nullable` become plain JSON Schema.
 */
export function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const s = schema as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(s)) {
    out[key] = key === 'properties' || key === 'definitions' || key === 'patternProperties'
      ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, strict(v)]))
      : key === 'enum' || key === 'required' || key === 'x-kubernetes-group-version-kind' ? value
        : key === 'pattern' && typeof value === 'string' ? goPattern(value) : strict(value);
  }
  if (s.properties && s.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  if (s['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (s.nullable === true && typeof s.type === 'string') out.type = [s.type, 'null'];
  return out;
}

/**
 * The API server checks `pattern` with Go's RE2, which has inline flags that JavaScript lacks.
 * `(?i)` (case-insensitive from there on, as in prometheus-operator's PrometheusRule
 * `^(?i)(abort|warn)?$`) becomes each later letter outside a character class as both cases
 * (`a` → `[aA]`); a class keeps its case, so such a pattern is at most stricter than RE2's.
 */
export function goPattern(pattern: string): string {
  const at = pattern.indexOf('(?i)');
  if (at < 0) return pattern;
  let out = pattern.slice(0, at);
  let inClass = false;
  const rest = pattern.slice(at + 4);
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\') {
      out += c + (rest[i + 1] ?? '');
      i++;
    } else if (c === '[' || c === ']') {
      inClass = c === '[';
      out += c;
    } else if (!inClass && /[a-z]/i.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else {
      out += c;
    }
  }
  return out;
}

function createAjv(source: boolean): Ajv {
  // strict: false ignores the x-kubernetes-* annotations; formats (int32, date-time…) are not checked.
  // code.source keeps each validator's code, for the on-disk cache.
  return new Ajv({ strict: false, allErrors: true, verbose: true, validateFormats: false, code: { source } });
}

export interface SchemaOptions {
  /** The Kubernetes definitions JSON. @default none */
  readonly k8sSchemaFile?: string;
  /** A folder of CRD YAML files, read recursively. @default none */
  readonly crdDir?: string;
  /** Only the CRDs of these kinds are needed; other CRD files are not parsed (large CRDs take seconds). @default all */
  readonly kinds?: ReadonlySet<string>;
  /** Where compiled validators are kept between runs (./schema-cache.ts). @default none: compiled on every run */
  readonly cacheDir?: string;
}

/** The schemas as read from the files: what a cache hit does not need to read. */
interface ReadSchemas {
  readonly ajv: Ajv;
  readonly sources: ReadonlyMap<string, () => object>;
  readonly clusterScoped: ReadonlySet<string>;
}

/**
 * The schemas of the Kubernetes definitions file and the CRDs (`*.yaml`, recursively) under
 * `crdDir`, each compiled when first asked for, or taken from `cacheDir`.
 */
export function loadSchemas(options: SchemaOptions): SchemaSet {
  const cache = options.cacheDir === undefined ? undefined : cacheFor(options.cacheDir, options);
  let read: ReadSchemas | undefined;
  const readNow = () => (read ??= readSchemas(options, cache !== undefined));
  let index = cache?.index();
  if (!index) {
    const r = readNow();
    index = { gvks: [...r.sources.keys()], clusterScoped: [...r.clusterScoped] };
    cache?.saveIndex(index);
  }
  const gvks = new Set(index.gvks);
  const compile = (key: string): ValidateFunction => {
    const r = readNow();
    const validate = r.ajv.compile((r.sources.get(key) as () => object)());
    cache?.saveValidator(key, standaloneCode(r.ajv, validate));
    return validate;
  };
  const described = [
    ...(options.k8sSchemaFile ? [path.basename(options.k8sSchemaFile)] : []),
    ...(options.crdDir ? [`CRDs from ${options.crdDir}`] : []),
  ];
  const compiled = new Map<string, ValidateFunction>();
  return {
    description: described.join(' and '),
    clusterScoped: new Set(index.clusterScoped),
    validator(apiVersion, kind) {
      const key = gvkOf(apiVersion, kind);
      if (!gvks.has(key)) return undefined;
      if (!compiled.has(key)) compiled.set(key, cache?.validator(key) ?? compile(key));
      return compiled.get(key);
    },
  };
}

/** The cache entry for these options: keyed by the files' bytes, the kinds asked for, ajv and this file's transforms. */
function cacheFor(cacheDir: string, options: SchemaOptions): SchemaCache {
  const crdFiles = options.crdDir ? crdFilesUnder(options.crdDir).map((f) => path.join(options.crdDir as string, f)) : [];
  const parts = [ajvVersion, strict.toString(), createAjv.toString(), readSchemas.toString(), readCrds.toString(), [...(options.kinds ?? ['*'])].sort().join(',')];
  return schemaCache(cacheDir, parts, [...(options.k8sSchemaFile ? [options.k8sSchemaFile] : []), ...crdFiles]);
}

function readSchemas(options: SchemaOptions, source: boolean): ReadSchemas {
  const ajv = createAjv(source);
  const sources = new Map<string, () => object>();
  const clusterScoped = new Set<string>();
  if (options.k8sSchemaFile) {
    const definitions = (JSON.parse(fs.readFileSync(options.k8sSchemaFile, 'utf8')) as { definitions: Json }).definitions;
    ajv.addSchema({ $id: K8S_ID, definitions: strict(definitions) as Json });
    for (const [name, def] of Object.entries(definitions)) {
      for (const g of (def['x-kubernetes-group-version-kind'] ?? []) as Json[]) {
        sources.set(gvk(g.group, g.version, g.kind), () => ({ $ref: `${K8S_ID}#/definitions/${name}` }));
      }
    }
  }
  if (options.crdDir) {
    const crds = readCrds(options.crdDir, options.kinds);
    for (const crd of crds) {
      if (crd.spec?.scope === 'Cluster') clusterScoped.add(crd.spec.names.kind);
      for (const version of (crd.spec?.versions ?? []) as Json[]) {
        const schema = version.schema?.openAPIV3Schema;
        if (!schema) continue;
        sources.set(gvk(crd.spec.group, version.name, crd.spec.names.kind), () => {
          const s = strict(schema) as Json;
          // Metadata is the API's ObjectMeta in every CRD; the CRD itself only says "object".
          if (options.k8sSchemaFile) s.properties = { ...s.properties, metadata: { $ref: `${K8S_ID}#/definitions/${OBJECT_META}` } };
          return s;
        });
      }
    }
  }
  return { ajv, sources, clusterScoped };
}

function crdFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).sort();
}

function readCrds(dir: string, kinds: ReadonlySet<string> | undefined): Json[] {
  const files = crdFilesUnder(dir);
  const mentionsAKind = (text: string) => !kinds || [...kinds].some((kind) => text.includes(`kind: ${kind}`));
  return files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).filter(mentionsAKind)
    .flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as Json))
    .filter((d) => d?.kind === 'CustomResourceDefinition' && (!kinds || kinds.has(d.spec?.names?.kind)));
}

/** Keeps the errors a person needs: a failed anyOf/oneOf once, not once per branch. */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  return errors.filter((e) => !alternatives.some((a) => a !== e && e.instancePath === a.instancePath && e.schemaPath.startsWith(`${a.schemaPath}/`)));
}

function message(e: ErrorObject): { path: ValuePath; text: string } {
  const at = pointerToPath(e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = (e.params as { additionalProperty: string }).additionalProperty;
      return { path: [...at, field], text: `unknown field "${field}"` };
    }
    case 'required':
      return { path: at, text: `missing required field "${(e.params as { missingProperty: string }).missingProperty}"` };
    case 'enum':
      return { path: at, text: `${show(e.data)} is not allowed; allowed: ${(e.schema as unknown[]).map(show).join(', ')}` };
    case 'anyOf':
    case 'oneOf': {
      const types = (e.schema as Json[]).map((b) => b.type).filter(Boolean);
      return { path: at, text: `${show(e.data)} is not allowed: must be ${types.length > 0 ? types.join(' or ') : 'one of the allowed forms'}` };
    }
    default:
      return { path: at, text: `${show(e.data)} is not allowed: ${e.message}` };
  }
}

/** Validates every object against its schema; a kind without one is an error (pass its CRD). */
export function schemaCheck(schemas: SchemaSet): ObjectCheck {
  return perObject((objects: readonly RenderedObject[]) => objects.flatMap((o) => {
    const validate = schemas.validator(o.object.apiVersion, o.object.kind);
    if (!validate) return [objectProblem(o, [], `no schema for ${o.object.apiVersion} ${o.object.kind}; pass the Kubernetes definitions with --k8s-schema and its CRD with --crds`)];
    if (validate(o.object)) return [];
    return relevant(validate.errors ?? []).map((e) => {
      const m = message(e);
      return objectProblem(o, m.path, m.text);
    });
  }));
}
