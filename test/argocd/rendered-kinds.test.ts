import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { BUILT_IN_GROUPS } from '../../lib/charts/rendered-kinds';
import { describeWithShared, K8S_SCHEMA, SHARED_CRDS } from '../shared';

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f));
}

describeWithShared('BUILT_IN_GROUPS (which kinds need an operator\'s CRD)', () => {
  test('THEN it is exactly the set of API groups in Kubernetes 1.33\'s own schema', () => {
    const schema = JSON.parse(fs.readFileSync(K8S_SCHEMA, 'utf8'));
    const groups = new Set<string>();
    for (const def of Object.values<any>(schema.definitions ?? schema)) for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) groups.add(gvk.group);
    expect([...BUILT_IN_GROUPS].sort()).toEqual([...groups].sort());
  });

  test('THEN no group of a pinned CRD (cert-manager, Dragonfly, KEDA, Gateway API, Argo CD…) is among them', () => {
    const crdGroups = yamlFiles(SHARED_CRDS).flatMap((f) => parseAllDocuments(fs.readFileSync(f, 'utf8')).map((d) => d.toJS()))
      .filter((o) => o?.kind === 'CustomResourceDefinition').map((o) => o.spec.group as string);
    expect(crdGroups).toContain('gateway.networking.k8s.io');
    for (const group of new Set(crdGroups)) expect({ group, builtIn: BUILT_IN_GROUPS.has(group) }).toEqual({ group, builtIn: false });
  });
});
