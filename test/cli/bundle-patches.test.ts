import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const patches = require('../../scripts/bundle-patches') as {
  builtInResolve: (source: string) => string;
  onePassToJson: (source: string) => string;
  linearToJson: (source: string) => string;
  DEFINED_FIELDS: string;
  SPREAD_REDUCER: string;
};

const RESOLVE_FILE = require.resolve('cdk8s/lib/resolve.js');
const API_OBJECT_FILE = require.resolve('cdk8s/lib/api-object.js');
type Resolve = (key: string[], value: unknown, apiObject: unknown) => unknown;
interface SanitizeOptions { sortKeys?: boolean; filterEmptyArrays?: boolean; filterEmptyObjects?: boolean }
type ResolveSanitized = (key: string[], value: unknown, apiObject: unknown, options: SanitizeOptions) => unknown;

type NodeModule = Module & { _compile(code: string, file: string): void };
const nodeModule = Module as unknown as { _cache: Record<string, NodeModule | undefined>; _nodeModulePaths(dir: string): string[] };

/**
 * `source` as the module `file`, compiled by Node itself (not through jest's module registry);
 * `cached`: in Node's module cache before it runs, so that the modules it loads load it (cdk8s'
 * lib/app.js and lib/resolve.js load each other).
 */
function compiled(file: string, source: string, cached = false): NodeModule {
  const mod = new Module(file) as NodeModule;
  mod.filename = file;
  mod.paths = nodeModule._nodeModulePaths(path.dirname(file));
  if (cached) nodeModule._cache[file] = mod;
  mod._compile(source, file);
  mod.loaded = true;
  return mod;
}

/**
 * cdk8s as the bundle has it (its lib/resolve.js and lib/api-object.js patched by
 * scripts/bundle-patches.js), loaded by Node itself so that its App makes the resolvers the patched
 * module knows, with cdk8s' own `resolve`, `sanitizeValue` and `ApiObject.toJson` from copies of the
 * original files. Node's module cache is as before afterwards.
 */
function cdk8sPatched() {
  const lib = `${path.dirname(RESOLVE_FILE)}${path.sep}`;
  const before = Object.fromEntries(Object.entries(nodeModule._cache).filter(([file]) => file.startsWith(lib)));
  for (const file of Object.keys(before)) delete nodeModule._cache[file];
  const source = fs.readFileSync(RESOLVE_FILE, 'utf8');
  const patchedSource = patches.builtInResolve(source);
  expect(patchedSource).not.toBe(source);
  const apiObjectSource = fs.readFileSync(API_OBJECT_FILE, 'utf8');
  const patchedApiObjectSource = patches.onePassToJson(apiObjectSource);
  expect(patchedApiObjectSource).not.toBe(apiObjectSource);
  try {
    const patched = compiled(RESOLVE_FILE, patchedSource, true);
    compiled(API_OBJECT_FILE, patchedApiObjectSource, true);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const cdk8s = patched.require('./index') as any;
    expect(new cdk8s.App().resolvers[0]).toBeInstanceOf((patched.exports as { LazyResolver: new () => unknown }).LazyResolver);
    const exports = patched.exports as { resolve: Resolve; resolveSanitized: ResolveSanitized };
    return {
      cdk8s,
      resolve: exports.resolve,
      resolveSanitized: exports.resolveSanitized,
      original: (compiled(RESOLVE_FILE, source).exports as { resolve: Resolve }).resolve,
      sanitizeValue: (patched.require('./_util') as { sanitizeValue: (value: unknown, options?: SanitizeOptions) => unknown }).sanitizeValue,
      // cdk8s' own toJson, its modules the patched ones (whose `resolve` is held to cdk8s' own above).
      originalToJson: (compiled(API_OBJECT_FILE, apiObjectSource).exports as { ApiObject: { prototype: { toJson(): unknown } } }).ApiObject.prototype.toJson,
    };
  } finally {
    for (const file of Object.keys(nodeModule._cache).filter((f) => f.startsWith(lib))) delete nodeModule._cache[file];
    Object.assign(nodeModule._cache, before);
  }
}
const { cdk8s, resolve, resolveSanitized, original, sanitizeValue, originalToJson } = cdk8sPatched();

/**
 * Plain objects and arrays of Node's own realm: cdk8s tells a plain object by `constructor ==
 * Object`, which an object made in jest's sandbox is not.
 */
const realm = compiled(RESOLVE_FILE, 'exports.object = (entries) => Object.fromEntries(entries); exports.array = (items) => Array.from(items);')
  .exports as { object(entries: [string, unknown][]): object; array(items: unknown[]): unknown[] };

/** A union value as cdk8s' generated imports make them (IntOrString, Quantity): a class with `value`. */
class Union {
  constructor(public readonly value: unknown) {}
}

/** The Lazy values produced in a walk, in order (each Lazy of `value` records its number). */
const produced: number[] = [];

/** Values an object's props may hold: plain data, Lazy values, implicit tokens, unions, other class instances. */
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => realm.array(items)),
    fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a', 'B', 'b', 'aa', 'value', 'resolve', '__proto__')), tie('value')), { maxLength: 30 })
      .map((entries) => realm.object(entries)),
    // Wide objects (labels, a ConfigMap's data): more keys than a short sort handles.
    fc.array(fc.tuple(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.integer(), fc.constant(null))), { minLength: 20, maxLength: 60 })
      .map((entries) => realm.object(entries)),
    fc.tuple(fc.nat(), tie('value')).map(([n, v]) => cdk8s.Lazy.any({ produce: () => {
      produced.push(n);
      return v;
    } })),
    tie('value').map((v) => ({ resolve: () => v })),
    fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(undefined)).map((v) => new Union(v)),
    fc.constant(new Date(0)),
  ),
}));

/**
 * The bundle's cdk8s `resolve` (scripts/bundle-patches.js) must give what cdk8s' own gives (cdk8s
 * 2.70.106 lib/resolve.js:101-128), since every rendered object passes through it: GIVEN random
 * values WHEN resolved by both for an object of an App with the built-in resolvers, and of an App
 * with a resolver of its own THEN the results are deeply equal, class for class.
 */
describe('the bundle\'s cdk8s resolve', () => {
  test('GIVEN the two THEN they are different functions (the patch applied)', () => {
    expect(resolve).not.toBe(original);
    expect(resolve.name).toBe('resolveWithBuiltIns');
  });

  test('GIVEN an App with the built-in resolvers THEN every value resolves as cdk8s resolves it', () => {
    const app = new cdk8s.App();
    const apiObject = new cdk8s.ApiObject(new cdk8s.Chart(app, 'chart'), 'object', { apiVersion: 'v1', kind: 'ConfigMap' });
    // The built-in resolvers' own method runs only in cdk8s' function: the patched one asks their questions itself.
    const asked = jest.spyOn(cdk8s.LazyResolver.prototype, 'resolve');
    try {
      fc.assert(fc.property(value, (v) => {
        asked.mockClear();
        const fast = resolve([], v, apiObject);
        expect(asked).not.toHaveBeenCalled();
        const slow = original([], v, apiObject);
        expect(fast).toStrictEqual(slow);
        expect(inspect(fast, { depth: Infinity })).toBe(inspect(slow, { depth: Infinity }));
      }), { numRuns: 300 });
    } finally {
      asked.mockRestore();
    }
  });

  test('GIVEN an App with a resolver of its own (which reads the key) THEN cdk8s\' own function runs', () => {
    const seen: string[] = [];
    const keyReader = { resolve: (context: { key: string[]; value: unknown; replaceValue(v: unknown): void }) => {
      seen.push(context.key.join('.'));
      if (context.value === 'x') context.replaceValue('replaced');
    } };
    const app = new cdk8s.App({ resolvers: [keyReader] });
    const apiObject = new cdk8s.ApiObject(new cdk8s.Chart(app, 'chart'), 'object', { apiVersion: 'v1', kind: 'ConfigMap' });
    const data = realm.object([['a', realm.array(['x', realm.object([['b', 'x']])])], ['c', 1]]);
    expect(JSON.stringify(resolve([], data, apiObject))).toBe(JSON.stringify({ a: ['replaced', { b: 'replaced' }], c: 1 }));
    const viaPatched = [...seen];
    seen.length = 0;
    original([], data, apiObject);
    expect(viaPatched).toEqual(seen);
    expect(seen).toContain('a.1.b');
  });
});

/**
 * The bundle's `ApiObject.toJson` resolves and sanitizes an object's props in one walk
 * (scripts/bundle-patches.js `onePassToJson`, the patched resolve's `resolveSanitized`), where cdk8s
 * makes two (cdk8s 2.70.106 lib/api-object.js:150, lib/_util.js:4-34): GIVEN random values and
 * options WHEN both run THEN the results are deeply equal, class for class, the Lazy values are
 * produced in the same order, and what throws in one throws the same message in the other.
 */
describe('the bundle\'s one-pass resolve and sanitize', () => {
  const options = fc.record({ sortKeys: fc.boolean(), filterEmptyArrays: fc.boolean(), filterEmptyObjects: fc.boolean() }, { requiredKeys: [] });

  /**
   * What `run` gives and the Lazy values it produced, or the message it throws (cdk8s produces
   * every Lazy before sanitizeValue throws, the one pass stops at the value it cannot render).
   */
  function outcome(run: () => unknown): { result: unknown; order: string; produced: number[] } | { error: string } {
    produced.length = 0;
    try {
      const result = run();
      // toStrictEqual ignores the order of keys, which the YAML keeps.
      return { result, order: inspect(result, { depth: Infinity }), produced: [...produced] };
    } catch (e) {
      return { error: String(e) };
    }
  }

  test('GIVEN an App with the built-in resolvers THEN one pass gives what resolve then sanitizeValue give', () => {
    const app = new cdk8s.App();
    const apiObject = new cdk8s.ApiObject(new cdk8s.Chart(app, 'chart'), 'object', { apiVersion: 'v1', kind: 'ConfigMap' });
    const asked = jest.spyOn(cdk8s.LazyResolver.prototype, 'resolve');
    try {
      fc.assert(fc.property(value, options, (v, o) => {
        asked.mockClear();
        const fast = outcome(() => resolveSanitized([], v, apiObject, o));
        expect(asked).not.toHaveBeenCalled();
        expect(fast).toStrictEqual(outcome(() => sanitizeValue(original([], v, apiObject), o)));
      }), { numRuns: 500 });
    } finally {
      asked.mockRestore();
    }
  });

  test('GIVEN objects with random props and JSON patches WHEN rendered THEN the bundle\'s toJson is cdk8s\' own', () => {
    const app = new cdk8s.App();
    const chart = new cdk8s.Chart(app, 'chart', { namespace: 'ns' });
    expect(cdk8s.ApiObject.prototype.toJson).not.toBe(originalToJson);
    let count = 0;
    fc.assert(fc.property(value, fc.boolean(), (v, patch) => {
      const apiObject = new cdk8s.ApiObject(chart, `o${count++}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { b: 'x', a: 'y' } }, data: v, zeta: 1 });
      if (patch) apiObject.addJsonPatch(cdk8s.JsonPatch.add('/added', 'z'));
      expect(outcome(() => apiObject.toJson())).toStrictEqual(outcome(() => originalToJson.call(apiObject)));
    }), { numRuns: 300 });
  });

  test('GIVEN an App with a resolver of its own THEN cdk8s\' two passes run, and the resolver replaces values', () => {
    const keyReader = { resolve: (context: { value: unknown; replaceValue(v: unknown): void }) => {
      if (context.value === 'x') context.replaceValue(null);
    } };
    const app = new cdk8s.App({ resolvers: [keyReader] });
    const apiObject = new cdk8s.ApiObject(new cdk8s.Chart(app, 'chart'), 'object', { apiVersion: 'v1', kind: 'ConfigMap' });
    const data = realm.object([['c', realm.array(['x', 'y'])], ['b', 'x'], ['a', 1]]);
    expect(JSON.stringify(resolveSanitized([], data, apiObject, { sortKeys: true }))).toBe('{"a":1,"c":[null,"y"]}');
  });
});

/**
 * The generated `toJson_*` functions drop a struct's undefined fields with
 * `Object.entries(x).reduce(<spread>, {})`; the bundle calls `definedFields(x)` instead
 * (scripts/bundle-patches.js linearToJson): GIVEN random objects (undefined values, an own
 * `__proto__` key, numeric keys) WHEN both run THEN the results are the same object, key order and
 * prototype included; and a generated file keeps no spread reducer.
 */
describe('the bundle\'s toJson reducer', () => {
  const spread = compiled(RESOLVE_FILE, `exports.f = (o) => Object.entries(o)${patches.SPREAD_REDUCER};`).exports as { f(o: object): object };
  const fast = compiled(RESOLVE_FILE, `${patches.DEFINED_FIELDS}\nexports.f = definedFields;`).exports as { f(o: object): object };

  test('GIVEN random objects THEN definedFields gives what the spread reducer gives', () => {
    const field = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', '0', '10', 'metadata', 'constructor'));
    const fieldValue = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.integer(), fc.constant({ nested: 1 }));
    fc.assert(fc.property(fc.array(fc.tuple(field, fieldValue), { maxLength: 12 }), (entries) => {
      const o = realm.object(entries);
      const [a, b] = [spread.f(o), fast.f(o)];
      expect(b).toStrictEqual(a);
      expect(inspect(b, { depth: Infinity, showHidden: true })).toBe(inspect(a, { depth: Infinity, showHidden: true }));
      expect(Object.getPrototypeOf(b)).toBe(Object.getPrototypeOf(a));
    }), { numRuns: 500 });
  });

  test('GIVEN cdk8s-plus-28\'s generated imports THEN every spread reducer became definedFields', () => {
    const source = fs.readFileSync(require.resolve('cdk8s-plus-28/lib/imports/k8s.js'), 'utf8');
    const patched = patches.linearToJson(source);
    expect(patched).not.toContain(patches.SPREAD_REDUCER);
    expect(patched.match(/\bdefinedFields\(/g)?.length).toBe(source.split(patches.SPREAD_REDUCER).length);
  });
});

/**
 * The tests run the dependencies as users run them (jest.config.js, test/setup/patched-dependencies.js);
 * test/cli/bundle.test.ts, which holds the bundle's renders to the unpatched dependencies', alone
 * runs without the patches and checks that it does.
 */
describe('the dependencies the tests load', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  test('GIVEN a test file THEN the cdk8s, cdk8s-plus-28 imports and generated imports it loads are patched as the bundle\'s are', () => {
    expect(typeof (require('cdk8s/lib/resolve') as { resolveSanitized?: unknown }).resolveSanitized).toBe('function');
    expect(String((require('cdk8s/lib/api-object') as { ApiObject: { prototype: { toJson: unknown } } }).ApiObject.prototype.toJson)).toContain('resolveSanitized');
    expect(String((require('cdk8s-plus-28/lib/imports/k8s') as { toJson_ObjectMeta: unknown }).toJson_ObjectMeta)).toContain('definedFields(');
    expect(String((require('../../imports/dragonfly-dragonflydb.io') as { toJson_DragonflySpec: unknown }).toJson_DragonflySpec)).toContain('definedFields(');
  });
  /* eslint-enable @typescript-eslint/no-require-imports */
});
