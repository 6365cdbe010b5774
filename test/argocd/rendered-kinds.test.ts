import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { BUILT_IN_GROUPS } from '../../lib/charts/rendered-kinds';
import { defaultSchemaCacheDir, schemaCache } from '../../lib/validate/schema-cache';
import { describeWithShared, K8S_SCHEMA, SHARED_CRDS } from '../shared';

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f));
}

/**
 * The `group/version/kind` of every CRD in `dir`. Parsing 5 MB of CRDs takes the YAML library
 * over a second, so the list is kept in the schema cache, keyed by the files' bytes (lib/validate/schema-cache.ts).
 */
function crdKinds(dir: string): readonly string[] {
  const files = yamlFiles(dir);
  const cache = schemaCache(defaultSchemaCacheDir(), ['test/argocd/rendered-kinds.test.ts CRD kinds', crdKinds.toString()], files);
  const cached = cache.index();
  if (cached) return cached.gvks;
  const gvks = files.flatMap((f) => parseAllDocuments(fs.readFileSync(f, 'utf8')).map((d) => d.toJS()))
    .filter((o) => o?.kind === 'CustomResourceDefinition')
    .flatMap((o) => (o.spec.versions as { name: string }[]).map((v) => `${o.spec.group}/${v.name}/${o.spec.names.kind}`));
  cache.saveIndex({ gvks, clusterScoped: [] });
  return gvks;
}

describeWithShared('BUILT_IN_GROUPS (which kinds need an operator\'s CRD)', () => {
  test('THEN it is exactly the set of API groups in Kubernetes 1.33\'s own schema', () => {
    const schema = JSON.parse(fs.readFileSync(K8S_SCHEMA, 'utf8'));
    const groups = new Set<string>();
    for (const def of Object.values<any>(schema.definitions ?? schema)) for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) groups.add(gvk.group);
    expect([...BUILT_IN_GROUPS].sort()).toEqual([...groups].sort());
  });

  test('THEN no group of a pinned CRD (cert-manager, Dragonfly, KEDA, Gateway API, Argo CD…) is among them', () => {
    const crdGroups = crdKinds(SHARED_CRDS).map((gvk) => gvk.split('/')[0]);
    expect(crdGroups).toContain('gateway.networking.k8s.io');
    for (const group of new Set(crdGroups)) expect({ group, builtIn: BUILT_IN_GROUPS.has(group) }).toEqual({ group, builtIn: false });
  });
});
