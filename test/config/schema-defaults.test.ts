import { JsonSchema, resolve } from '../../lib/config/schema/emit';
import { LoadedInstance } from '../../lib/config/types';
import { validators } from '../../lib/config/validators';
import { instanceObjects, renderInstance } from '../../lib/app/render';
import { buildModel } from '../../lib/model/build';
import { instancePlan } from '../../lib/model/plan';
import { workloadPods } from '../../lib/core/workload-pods';
import { schemaFiles } from '../../scripts/schema-defaults';
import { loadExample } from '../helpers';

/**
 * Every `default` in the JSON Schemas is what the renderer does with the setting left out: the
 * example instance renders (and plans) the same with the setting left out as with it set to the
 * schema's default. An editor that fills in a default therefore changes nothing.
 */

type Data = Record<string, unknown>;
type FileName = 'instance' | 'queuePlan';

const emitted = schemaFiles();
const SCHEMAS: Record<FileName, JsonSchema> = {
  instance: JSON.parse(emitted['instance.schema.json']) as JsonSchema,
  queuePlan: JSON.parse(emitted['queue-plan.schema.json']) as JsonSchema,
};

/** Every setting with a default, by its path in the file (a map's keys as `*`), and the default. */
function defaultsOf(schema: JsonSchema): [string[], unknown][] {
  const found: [string[], unknown][] = [];
  const walk = (node: JsonSchema, at: string[]) => {
    if ('default' in node) found.push([at, node.default]);
    const resolved = resolve(schema, node);
    for (const [name, sub] of Object.entries((resolved.properties ?? {}) as Record<string, JsonSchema>)) walk(sub, [...at, name]);
    if (typeof resolved.additionalProperties === 'object') walk(resolved.additionalProperties as JsonSchema, [...at, '*']);
  };
  walk(schema, []);
  return found;
}

const ROLE_PEERS = { external: { host: 'valkey.example.com' } };
const AUTOSCALING = { maxReplicas: 4 };
const SECRET = { name: 'some-secret', key: 'some-key' };

/**
 * What a section the example leaves out holds when a default below it is checked: the least that
 * is valid. Keyed by the section's path (`*` for any role or pool).
 */
const SECTIONS: Readonly<Record<string, (parent: Data) => unknown>> = {
  'web.autoscaling': (web) => {
    delete web.replicas;
    return { ...AUTOSCALING };
  },
  'streaming.autoscaling': (streaming) => {
    delete streaming.replicas;
    return { ...AUTOSCALING };
  },
  'redis.*.external': (role) => {
    delete role.dragonfly;
    return { ...ROLE_PEERS.external };
  },
  'redis.*.dragonfly.snapshot': () => ({}),
  maintenance: () => ({}),
  'secrets.externalSecrets': (secrets) => {
    secrets.delivery = 'external-secrets';
    return { store: { kind: 'ClusterSecretStore', name: 'vault' } };
  },
  'maintenance.*': () => ({}),
  'smtp.bulk': () => ({ server: 'bulk.example.com', login: SECRET, password: SECRET }),
  'search.deploy': () => ({}),
  'backups.database.restoreDrill': () => ({}),
  'backups.redis': () => ({}),
  'networkPolicy': () => ({}),
  'monitoring.scraper': () => ({}),
  'monitoring.slo': () => ({}),
  'monitoring.alerts': () => ({}),
  'monitoring.dashboard': () => ({}),
  tracing: () => ({ endpoint: 'https://otlp.example.net:4318' }),
  'pools.*.autoscaling': (pool) => ({ maxReplicas: (pool.replicas as number) + 2 }),
};

/** The concrete paths of a setting: `*` becomes each role or pool the example has. */
function concretePaths(data: Data, at: string[]): string[][] {
  const star = at.indexOf('*');
  if (star < 0) return [at];
  let node: unknown = data;
  for (const key of at.slice(0, star)) node = (node as Data | undefined)?.[key];
  const keys = Object.keys((node ?? {}) as Data);
  if (keys.length === 0) throw new Error(`the example has nothing at ${at.slice(0, star).join('.')} to check ${at.join('.')} with`);
  return keys.flatMap((key) => concretePaths(data, [...at.slice(0, star), key, ...at.slice(star + 1)]));
}

/** `data` with the sections above `at` present (from SECTIONS when the example leaves one out). */
function withSections(data: Data, at: string[]): Data {
  const copy = structuredClone(data);
  let node = copy;
  for (const [i, key] of at.slice(0, -1).entries()) {
    if (node[key] === undefined) {
      const section = Object.entries(SECTIONS).find(([pattern]) => matches(pattern.split('.'), at.slice(0, i + 1)));
      if (!section) throw new Error(`the example has no ${at.slice(0, i + 1).join('.')}: add what it needs to hold to SECTIONS to check ${at.join('.')}`);
      node[key] = section[1](node);
    }
    node = node[key] as Data;
  }
  return copy;
}

function matches(pattern: string[], at: string[]): boolean {
  return pattern.length === at.length && pattern.every((p, i) => p === '*' || p === at[i]);
}

function setting(data: Data, at: string[], value: unknown): Data {
  const copy = structuredClone(data);
  const parent = at.slice(0, -1).reduce((node, key) => node[key] as Data, copy);
  if (value === undefined) delete parent[at[at.length - 1]];
  else parent[at[at.length - 1]] = structuredClone(value);
  return copy;
}

/**
 * The render and plan of the example with `data` as its `file`. Most cases share one side (the
 * example as it is, or the same section added), so each distinct input, key order included, is
 * rendered once per file: rendering is a pure function of its input.
 */
const renders = new Map<string, unknown>();
function rendered(example: LoadedInstance, file: FileName, data: Data): unknown {
  const key = `${file}:${JSON.stringify(data)}`;
  if (!renders.has(key)) renders.set(key, renderedNow(example, file, data));
  return renders.get(key);
}

/**
 * The pods of the objects a render wrote, by the files it wrote. The plan reads the objects
 * through their pods, and each object is written whole to its file, so equal files hold equal
 * objects and run equal pods: the objects (the instance's charts built again, unchecked, as
 * `plan` does) are built once per distinct render output, not once per input. The plan still
 * follows each input's own model.
 */
const podsByFiles = new Map<string, ReturnType<typeof workloadPods>>();
function podsOf(files: Record<string, string>, model: ReturnType<typeof buildModel>): ReturnType<typeof workloadPods> {
  const key = JSON.stringify(files);
  if (!podsByFiles.has(key)) podsByFiles.set(key, workloadPods(instanceObjects(model)));
  return podsByFiles.get(key)!;
}

function renderedNow(example: LoadedInstance, file: FileName, data: Data): unknown {
  const validate = validators[file];
  if (!validate(data)) throw new Error(`the ${file} under test is not valid: ${JSON.stringify(validate.errors)}`);
  const loaded = file === 'instance'
    ? { ...example, instance: data as unknown as LoadedInstance['instance'] }
    : { ...example, queuePlan: data as unknown as LoadedInstance['queuePlan'] };
  const model = buildModel(loaded);
  const files = Object.fromEntries(renderInstance(loaded).files);
  return { files, plan: instancePlan(model, podsOf(files, model)) };
}

const example = loadExample();
const cases = (Object.keys(SCHEMAS) as FileName[]).flatMap((file) => {
  const data = structuredClone(example[file === 'instance' ? 'instance' : 'queuePlan']) as unknown as Data;
  return defaultsOf(SCHEMAS[file]).flatMap(([at, value]) => concretePaths(data, at).map((path) => ({ file, data, path, value })));
});

describe('schema defaults', () => {
  test('GIVEN the schemas THEN they have defaults to check (both files)', () => {
    expect(cases.filter((c) => c.file === 'instance').length).toBeGreaterThan(40);
    expect(cases.filter((c) => c.file === 'queuePlan').length).toBeGreaterThan(0);
  });

  test.each(cases.map((c) => [`${c.file} ${c.path.join('.')}`, c] as const))(
    'GIVEN the example WHEN %s is left out or set to its schema default THEN the render and the plan are the same',
    (_, { file, data, path, value }) => {
      const base = withSections(data, path);
      expect(rendered(example, file, setting(base, path, value))).toEqual(rendered(example, file, setting(base, path, undefined)));
    },
  );
});
