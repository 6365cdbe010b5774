import { InstanceSchema } from './instance';
import { QueuePlanSchema } from './queue-plan';
import { ClusterSchema } from './cluster';

/**
 * Emits the JSON Schemas of the config files (lib/config/schemas/*.schema.json) from the TypeBox
 * sources, with the `default` of every setting the renderer resolves. `npm run schemas` writes
 * them; a test checks the committed files are what this emits.
 */

/** A setting's path in its file, dot-separated (`web.workers`; `*` for any key of a map: `pools.*.threads`). */
export type ConfigPath = string;

/** The defaults to write into each schema, by setting. */
export interface SchemaDefaults {
  readonly instance: Readonly<Record<ConfigPath, unknown>>;
  readonly queuePlan: Readonly<Record<ConfigPath, unknown>>;
  readonly cluster: Readonly<Record<ConfigPath, unknown>>;
}

export type JsonSchema = { [keyword: string]: unknown };

/** The schemas' files under lib/config/schemas/, by schema. */
export const SCHEMA_FILES = { instance: 'instance.schema.json', queuePlan: 'queue-plan.schema.json', cluster: 'cluster.schema.json' } as const;

/** The schemas as JSON objects, without defaults (TypeBox's symbols dropped). */
function schemaSources(): Record<keyof typeof SCHEMA_FILES, JsonSchema> {
  return { instance: plain(InstanceSchema), queuePlan: plain(QueuePlanSchema), cluster: plain(ClusterSchema) };
}

/** The text of each schema file, by file name. */
export function emitSchemas(defaults: SchemaDefaults): Record<string, string> {
  const sources = schemaSources();
  const out: Record<string, string> = {};
  for (const name of Object.keys(SCHEMA_FILES) as (keyof typeof SCHEMA_FILES)[]) {
    const schema = sources[name];
    for (const [path, value] of Object.entries(defaults[name])) setDefault(schema, path, value);
    out[SCHEMA_FILES[name]] = `${JSON.stringify(ordered(schema), null, 2)}\n`;
  }
  return out;
}

/**
 * The schema node of a setting: the property's own node (where a `$ref` and its description sit),
 * reached through the `$ref`s of the nodes above it. A `description` and `default` beside a `$ref`
 * reach editors: yaml-language-server drops a draft-07 `$ref`'s siblings only when one of them
 * constrains, and then merges the definition under the node's own keys
 * (redhat-developer/yaml-language-server@1.23.0 src/languageservice/services/yamlSchemaService.ts:67-95, 495, 764-766).
 */
export function nodeAt(schema: JsonSchema, path: ConfigPath): JsonSchema {
  let node = schema;
  for (const key of path.split('.')) {
    const container = resolve(schema, node);
    const next = key === '*' ? container.additionalProperties : (container.properties as Record<string, JsonSchema> | undefined)?.[key];
    if (typeof next !== 'object' || next === null) throw new Error(`${path}: no setting ${key} in the schema`);
    node = next as JsonSchema;
  }
  return node;
}

/** A node, or the definition its `$ref` names. */
export function resolve(schema: JsonSchema, node: JsonSchema): JsonSchema {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const name = ref.replace('#/definitions/', '');
  const definition = (schema.definitions as Record<string, JsonSchema>)[name];
  if (!definition) throw new Error(`no definition ${name}`);
  return definition;
}

function setDefault(schema: JsonSchema, path: ConfigPath, value: unknown): void {
  const node = nodeAt(schema, path);
  // Settings reached through one definition (autoscaling, dragonfly…) share its node.
  if ('default' in node && JSON.stringify(node.default) !== JSON.stringify(value)) {
    throw new Error(`${path}: default ${JSON.stringify(value)} differs from ${JSON.stringify(node.default)}, set through another path to the same schema node`);
  }
  node.default = value;
}

function plain(schema: object): JsonSchema {
  return JSON.parse(JSON.stringify(schema)) as JsonSchema;
}

/** Keywords first in a node, in this order; the rest keep TypeBox's order, children last. */
const FIRST = ['$schema', '$id', 'title', '$ref', 'description', 'type', 'enum', 'default', 'x-allowed', 'patternErrorMessage', 'errorMessage'];
const LAST = ['required', 'properties', 'definitions'];

/** A readable, stable key order (JSON key order does not change what a schema means). */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  const rank = (k: string) => (FIRST.includes(k) ? FIRST.indexOf(k) - FIRST.length : LAST.includes(k) ? 1 + LAST.indexOf(k) : 0);
  return Object.fromEntries(keys.map((k, i) => ({ k, i })).sort((a, b) => rank(a.k) - rank(b.k) || a.i - b.i).map(({ k }) => [k, orderedChild(k, (value as JsonSchema)[k])]));
}

/** Property and definition names are data, not keywords: they keep their order (error messages list them). */
function orderedChild(keyword: string, child: unknown): unknown {
  if ((keyword === 'properties' || keyword === 'definitions') && typeof child === 'object' && child !== null) {
    return Object.fromEntries(Object.entries(child).map(([name, node]) => [name, ordered(node)]));
  }
  return ordered(child);
}
