import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { yamlFile } from '../../lib/render/canonical';
import { crossViews } from '../../lib/validate/cross-view';
import { formatObjectProblem, isPerObject, ObjectCheck, RenderedObject } from '../../lib/validate/object-problem';
import { POLICY_CHECKS } from '../../lib/validate/policy';
import { defaultSchemaCacheDir } from '../../lib/validate/schema-cache';
import { semanticChecks } from '../../lib/validate/semantic';
import { validateStreamed, validateTree, validateTreeAtOnce, ValidateOptions, ValidateResult } from '../../lib/validate/validate';
import { numRuns, seed } from '../fuzz/mutations';
import { GATEWAY_EXAMPLE_DIR, objects as parsed, renderedFiles, tempDir } from '../helpers';
import { describeWithShared, K8S_SCHEMA, SHARED_CRDS } from '../shared';
import { exampleObjects } from './fixtures';

/**
 * `validate` reads one file at a time: the checks marked per object run on each object as it is
 * read, and the checks across objects run at the end over views that keep only what they read
 * (lib/validate/cross-view.ts). GIVEN the rendered fixtures, broken at random (fields deleted,
 * set to another object's value of the same field, to a string or a number) THEN
 * - a per-object check finds over all objects what it finds in each in turn;
 * - every field a check across objects reads has the same value in the view (recorded while the
 *   checks run over the whole objects: a new check that reads a field the view drops fails here);
 * - those checks find the same over the views as over the whole objects;
 * - validate of the tree written to disk reports what validating every object at once reports.
 */

const CHECKS: readonly ObjectCheck[] = [...semanticChecks(new Set(['ClusterIssuer'])), ...POLICY_CHECKS];
type Path = (string | number)[];
type Json = Record<string, any>;

function fixtures(): RenderedObject[] {
  const gateway = [...parsed(renderedFiles(GATEWAY_EXAMPLE_DIR))].map(([file, object]) => ({ file, object }));
  return [...exampleObjects(), ...gateway];
}

/** The path of every value under `value`, each before the paths under it. */
function pathsUnder(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      const p = [...prefix, i];
      out.push(p);
      pathsUnder(v, p, out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, k];
      out.push(p);
      pathsUnder(v, p, out);
    }
  }
  return out;
}

function at(value: unknown, p: readonly PropertyKey[]): any {
  let v: any = value;
  for (const segment of p) {
    if (v === null || v === undefined) return undefined;
    v = v[segment];
  }
  return v;
}

/** Fields the checks judge: most breaks land on one of them. */
const JUDGED = new Set<string | number>(['apiVersion', 'kind', 'name', 'namespace', 'labels', 'annotations', 'selector', 'matchLabels', 'matchExpressions', 'ports', 'port',
  'targetPort', 'replicas', 'scaleTargetRef', 'podSelector', 'labelSelector', 'namespaceSelector', 'affinity', 'topologySpreadConstraints', 'securityContext', 'image',
  'imagePullPolicy', 'runAsNonRoot', 'readOnlyRootFilesystem', 'drop', 'volumeMounts', 'volumes', 'command', 'resources', 'issuerRef', 'backendRefs', 'service', 'rules', 'ingress', 'egress', 'podMetadata', 'data']);

/** One random break of one object. */
const mutation = fc.record({ object: fc.nat(), at: fc.nat(), op: fc.constantFrom('delete', 'borrow', 'borrow', 'string', 'number'), from: fc.nat(), anywhere: fc.boolean() });
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

/** Every value in `objects` by its last key (the values a break borrows), in object and path order. */
function valuesByKey(objects: readonly RenderedObject[]): Map<string | number, unknown[]> {
  const byKey = new Map<string | number, unknown[]>();
  for (const o of objects) for (const p of pathsUnder(o.object)) {
    const key = p[p.length - 1];
    const values = byKey.get(key);
    if (values) values.push(at(o.object, p)); else byKey.set(key, [at(o.object, p)]);
  }
  return byKey;
}

/** The values of the fixtures by key, taken once per file: every break starts from the same fixtures, and borrows copies. */
let fixtureValues: Map<string | number, unknown[]> | undefined;

/** The fixtures with `mutations` applied. */
function brokenFixtures(mutations: readonly Mutation[]): RenderedObject[] {
  const objects = fixtures();
  fixtureValues ??= valuesByKey(objects);
  return mutate(objects, mutations, fixtureValues);
}

function mutate(objects: RenderedObject[], mutations: readonly Mutation[], byKey: ReadonlyMap<string | number, unknown[]>): RenderedObject[] {
  const out = structuredClone(objects);
  for (const m of mutations) {
    const target = out[m.object % out.length].object as Json;
    const all = pathsUnder(target);
    const judged = all.filter((q) => JUDGED.has(q[q.length - 1]) && !q.includes('env'));
    const paths = m.anywhere || judged.length === 0 ? all : judged;
    const p = paths[m.at % paths.length];
    const parent = at(target, p.slice(0, -1));
    const key = p[p.length - 1];
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1); else delete parent[key];
    } else {
      const pool = byKey.get(key) ?? [];
      parent[key] = m.op === 'borrow' && pool.length > 0 ? structuredClone(pool[m.from % pool.length]) : m.op === 'number' ? m.from % 70000 : `other-${m.from % 3}`;
    }
  }
  return out;
}

const shown = (run: () => readonly { file: string }[]): string[] => {
  try {
    return run().map((f) => formatObjectProblem(f as never));
  } catch (e) {
    return [`throws ${(e as Error).message}`];
  }
};

/** Every read of a field, a key list or a membership, by a check over `objects`, wrapped to record them. */
interface Read { readonly object: number; readonly path: readonly PropertyKey[]; readonly what: 'value' | 'keys' | 'has' }
function recording(objects: readonly RenderedObject[], reads: Read[]): RenderedObject[] {
  const wrap = (object: number, value: object, p: readonly PropertyKey[]): object => new Proxy(value, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof prop === 'symbol') return v;
      reads.push({ object, path: [...p, prop], what: 'value' });
      return v !== null && typeof v === 'object' ? wrap(object, v, [...p, prop]) : v;
    },
    ownKeys(target) {
      reads.push({ object, path: p, what: 'keys' });
      return Reflect.ownKeys(target);
    },
    has(target, prop) {
      if (typeof prop !== 'symbol') reads.push({ object, path: [...p, prop], what: 'has' });
      return Reflect.has(target, prop);
    },
    getOwnPropertyDescriptor(target, prop) {
      if (typeof prop !== 'symbol') reads.push({ object, path: [...p, prop], what: 'has' });
      return Reflect.getOwnPropertyDescriptor(target, prop);
    },
  });
  return objects.map((o, i) => ({ file: o.file, object: wrap(i, o.object, []) as never }));
}

/** How a value looks to a check: primitives as they are, objects by their type, functions (methods) by name. */
function seen(v: unknown): unknown {
  if (typeof v === 'function') return `function ${v.name}`;
  if (v === null || typeof v !== 'object') return v;
  return Array.isArray(v) ? 'array' : 'object';
}

function readsDiffer(objects: readonly RenderedObject[], views: readonly RenderedObject[], reads: readonly Read[]): string[] {
  return reads.flatMap((r) => {
    const whole = at(objects[r.object].object, r.path);
    const view = at(views[r.object].object, r.path);
    const parentWhole = at(objects[r.object].object, r.path.slice(0, -1));
    const parentView = at(views[r.object].object, r.path.slice(0, -1));
    const same = r.what === 'value' ? Object.is(seen(whole), seen(view))
      : r.what === 'keys' ? JSON.stringify(Reflect.ownKeys(whole)) === JSON.stringify(Reflect.ownKeys(view))
        : (parentWhole !== null && typeof parentWhole === 'object') === (parentView !== null && typeof parentView === 'object')
          && (typeof parentWhole !== 'object' || parentWhole === null || Reflect.has(parentWhole, r.path[r.path.length - 1]) === Reflect.has(parentView, r.path[r.path.length - 1]));
    return same ? [] : [`${objects[r.object].file}: ${r.what} ${r.path.map(String).join('.')}`];
  });
}

describe('validate one file at a time', () => {
  const options = { numRuns: numRuns(40), seed: seed() };
  const cross = CHECKS.filter((c) => !isPerObject(c));
  const single = CHECKS.filter(isPerObject);

  test('GIVEN the checks THEN those across objects are the few that need other objects', () => {
    expect(cross.map((c) => c.name)).toEqual(['serviceTargets', 'ingressTargets', 'httpRouteTargets', 'disruptionBudgetTargets', 'autoscalerTargets', 'noDuplicates', 'networkPolicyTargets', 'affinityTargets']);
    expect(single.length).toBe(CHECKS.length - cross.length);
  });

  test('GIVEN broken fixtures THEN each per-object check finds over all objects what it finds in each in turn', () => {
    let found = 0;
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 10 }), (mutations) => {
      const objects = brokenFixtures(mutations);
      for (const check of single) {
        const all = shown(() => check(objects));
        found += all.length;
        expect(shown(() => objects.flatMap((o) => check([o])))).toEqual(all);
      }
    }), options);
    expect(found).toBeGreaterThan(options.numRuns / 4);
  });

  test('GIVEN broken fixtures THEN every field the checks across objects read is in the view, and they find the same over the views', () => {
    let found = 0;
    fc.assert(fc.property(fc.array(mutation, { maxLength: 10 }), (mutations) => {
      const objects = brokenFixtures(mutations);
      const views = objects.map(crossViews());
      const reads: Read[] = [];
      const recorded = recording(objects, reads);
      for (const check of cross) {
        const all = shown(() => check(objects));
        found += all.length;
        expect(shown(() => check(views))).toEqual(all);
        shown(() => check(recorded));
      }
      expect(reads.length).toBeGreaterThan(1000);
      expect(readsDiffer(objects, views, reads)).toEqual([]);
    }), options);
    // The breaks reach the checks' findings, not only their happy path.
    expect(found).toBeGreaterThan(options.numRuns / 2);
  });

  test('GIVEN a Deployment, a ConfigMap and a PrometheusRule THEN their views keep metadata and the spec, of the containers only names and ports, of the rules nothing', () => {
    const all = fixtures();
    const web = all.find((o) => o.file === 'example/mastodon/Deployment.web.yaml') as RenderedObject;
    const crossView = crossViews();
    const view = crossView(web).object as Json;
    expect(Object.keys(view)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(view.metadata).toEqual(web.object.metadata);
    expect(view.spec.replicas).toEqual((web.object as Json).spec.replicas);
    expect(view.spec.template.metadata).toEqual((web.object as Json).spec.template.metadata);
    expect(view.spec.template.spec.containers).toEqual((web.object as Json).spec.template.spec.containers.map((c: Json) => ({ name: c.name, ...(c.ports ? { ports: c.ports } : {}) })));
    expect(Object.keys(view.spec.template.spec).every((k) => ['affinity', 'initContainers', 'containers', 'ephemeralContainers'].includes(k))).toBe(true);
    const configMap = all.find((o) => o.object.kind === 'ConfigMap') as RenderedObject;
    expect(Object.keys(crossView(configMap).object)).toEqual(['apiVersion', 'kind', 'metadata']);
    const rule = all.find((o) => o.object.kind === 'PrometheusRule') as RenderedObject;
    expect(crossView(rule).object).toEqual({ ...rule.object, spec: {} });
  });
});

/** `objects` written as synth writes them, under a fresh folder. */
function writeTree(objects: readonly RenderedObject[], extra: Readonly<Record<string, string>> = {}): string {
  const dir = tempDir('validate-stream-');
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.appendFileSync(path.join(dir, file), text);
  };
  for (const o of objects) write(o.file, yamlFile(o.object));
  for (const [file, text] of Object.entries(extra)) write(file, text);
  return dir;
}

/** What validate returns or throws, and the warnings it emits (the yaml library's), against validating at once. */
function same(options: ValidateOptions): void {
  const warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    const streamed = outcome(() => validateTree(options));
    const streamedWarnings = warnings.mock.calls.map(String);
    warnings.mockClear();
    expect({ ...streamed, warnings: streamedWarnings }).toEqual({ ...outcome(() => validateTreeAtOnce(options)), warnings: warnings.mock.calls.map(String) });
  } finally {
    warnings.mockRestore();
  }
}

/** `run()` with the yaml library's warnings kept from the test's output. */
function quietly<T>(run: () => T): T {
  const warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    return run();
  } finally {
    warnings.mockRestore();
  }
}

function outcome(run: () => ValidateResult): object {
  try {
    const result = run();
    return { ...result, problems: result.problems.map(formatObjectProblem) };
  } catch (e) {
    return { throws: String(e) };
  }
}

describe('validate of a tree on disk, one file at a time', () => {
  test('GIVEN broken fixtures written to disk THEN validate reports what validating every object at once reports', () => {
    fc.assert(fc.property(fc.array(mutation, { maxLength: 4 }), (mutations) => {
      same({ dist: writeTree(brokenFixtures(mutations)) });
    }), { numRuns: numRuns(10), seed: seed() });
  });

  describeWithShared('with the schemas', () => {
    const schemas = { k8sSchemaFile: K8S_SCHEMA, crdDir: SHARED_CRDS, schemaCacheDir: defaultSchemaCacheDir() };

    test('GIVEN the rendered fixtures, broken, THEN the findings are those of validating at once, found one file at a time', () => {
      const objects = brokenFixtures([{ object: 3, at: 5, op: 'string', from: 1, anywhere: false }, { object: 20, at: 7, op: 'delete', from: 0, anywhere: false }, { object: 40, at: 30, op: 'borrow', from: 2, anywhere: false }]);
      const dist = writeTree(objects);
      expect(validateStreamed({ dist, ...schemas })).not.toHaveProperty('fullyRead');
      same({ dist, ...schemas });
    });

    test('GIVEN files synth would not write (hand-edited, two documents, a file named after no kind) THEN the findings are still those of validating at once', () => {
      // The CRDs only: a kind set of its own is compiled afresh, and the Kubernetes definitions take seconds.
      const crds = { crdDir: SHARED_CRDS, schemaCacheDir: defaultSchemaCacheDir() };
      const dist = writeTree(fixtures(), {
        'example/mastodon/Deployment.web.yaml': '# edited by hand\n',
        // A key that is a list: the library warns that it stringifies it (once, also when validate reads the tree again).
        'example/mastodon/ConfigMap.keys.yaml': '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keys\n  namespace: mastodon\ndata:\n  ? [a, b]\n  : c\n',
        'example/mastodon/extra.yaml': '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  namespace: mastodon\nspec:\n  selector: &s\n    app: none\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\n  namespace: mastodon\n',
      });
      expect(quietly(() => validateStreamed({ dist, ...crds }))).toHaveProperty('fullyRead');
      same({ dist, ...crds });
      const named = writeTree(fixtures(), { 'example/mastodon/Service.b.yaml': '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  namespace: mastodon # here\nspec:\n  selector:\n    app: none\n' });
      expect(validateStreamed({ dist: named, ...crds })).not.toHaveProperty('fullyRead');
      same({ dist: named, ...crds });
    });
  });
});
