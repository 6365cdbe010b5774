import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSchemas, schemaCheck } from '../../lib/validate/schema';
import { describeWithShared, K8S_SCHEMA, SHARED_CRDS } from '../shared';
import { exampleObjects, report, WEB, withEdit } from './fixtures';

/**
 * `validate` keeps compiled schema validators on disk (lib/validate/schema-cache.ts): a validator
 * read back from the cache judges every object as the freshly compiled one does, and a changed
 * schema file is never answered from the old entry.
 */
describeWithShared('the schema validator cache', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-cache-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  // A few kinds keep the compiles short: the Kubernetes definitions' and a small CRD's (with its ObjectMeta reference).
  const KINDS = new Set(['Deployment', 'Service', 'AppProject']);
  const objects = () => [
    ...exampleObjects().filter((o) => KINDS.has(o.object.kind)),
    ...withEdit(WEB, (d) => {
      d.spec.replica = 2;
      d.spec.template.spec.containers[0].livenessProbe.tcpSocket.port = true;
      delete d.spec.template.spec.containers[0].name;
    }),
  ];
  const kinds = () => new Set(objects().map((o) => o.object.kind));

  test('GIVEN an empty cache WHEN validated twice THEN the second run reads every validator back, with the same findings and scopes as the first, which compiled them', () => {
    const options = { k8sSchemaFile: K8S_SCHEMA, crdDir: SHARED_CRDS, kinds: kinds() };
    // The cache is empty: the first run compiles every validator (as a run without a cache does) and keeps it.
    const first = loadSchemas({ ...options, cacheDir: dir });
    const expected = report(schemaCheck(first), objects());
    expect(expected.length).toBeGreaterThan(0);

    const second = loadSchemas({ ...options, cacheDir: dir });
    expect(report(schemaCheck(second), objects())).toEqual(expected);
    expect([...second.clusterScoped].sort()).toEqual([...first.clusterScoped].sort());
    expect(second.description).toBe(first.description);
    // Compiled at run time, ajv attaches the schema to the function; read back as standalone code, it does not.
    for (const { object: { apiVersion, kind } } of objects()) {
      expect({ kind, compiled: 'schema' in (first.validator(apiVersion, kind) as object) }).toEqual({ kind, compiled: true });
      expect({ kind, compiled: 'schema' in (second.validator(apiVersion, kind) as object) }).toEqual({ kind, compiled: false });
    }
  });

  test('GIVEN a cached CRD WHEN its file changes THEN the changed schema is compiled, not read from the old entry', () => {
    const crds = path.join(dir, 'crds');
    fs.mkdirSync(crds);
    const file = path.join(crds, 'appprojects.yaml');
    const original = fs.readFileSync(path.join(SHARED_CRDS, 'argo-cd', 'appproject-crd.yaml'), 'utf8');
    fs.writeFileSync(file, original);
    const project = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p', namespace: 'argocd' }, spec: { sourceRepos: ['https://example.net/r.git'], destinations: [{ namespace: 'm', server: 'https://kubernetes.default.svc' }] } };
    const cacheDir = path.join(dir, 'cache');
    const load = () => loadSchemas({ crdDir: crds, cacheDir }).validator('argoproj.io/v1alpha1', 'AppProject');
    expect(load()?.(project)).toBe(true);
    const readBack = load();
    expect(readBack?.(project)).toBe(true);
    expect((readBack as { schema?: unknown } | undefined)?.schema).toBeUndefined();
    // The same CRD without `spec.sourceRepos` among its properties (strict: now an unknown field).
    fs.writeFileSync(file, original.replace(/^( +)sourceRepos:\n\1  description:/m, '$1sourceReposRenamed:\n$1  description:'));
    expect(load()?.(project)).toBe(false);
    expect(fs.readdirSync(cacheDir)).toHaveLength(2);
  });

  test('GIVEN cached schemas WHEN the same files are read from another folder THEN the entry is reused', () => {
    const cacheDir = path.join(dir, 'cache');
    const load = (crdDir: string) => loadSchemas({ crdDir, cacheDir }).validator('argoproj.io/v1alpha1', 'AppProject') as { schema?: unknown } | undefined;
    for (const copy of ['a', 'b']) {
      fs.mkdirSync(path.join(dir, copy, 'argo-cd'), { recursive: true });
      fs.copyFileSync(path.join(SHARED_CRDS, 'argo-cd', 'appproject-crd.yaml'), path.join(dir, copy, 'argo-cd', 'appproject-crd.yaml'));
    }
    // Compiled at run time, ajv attaches the schema to the function; read back from the cache, it does not.
    expect(load(path.join(dir, 'a'))?.schema).toBeDefined();
    expect(load(path.join(dir, 'b'))?.schema).toBeUndefined();
    expect(fs.readdirSync(cacheDir)).toHaveLength(1);
  });
});
