import { parseAllDocuments } from 'yaml';
import { compareTrees, treeObjects, withSharedParses } from '../../lib/diff/compare';
import { secretChanges } from '../../lib/diff/secrets';

/**
 * diff reads a thousand instances' trees: files byte-identical on both sides are not parsed at
 * all, and the others once, however many parts of the report read them (issue 17).
 */
jest.mock('yaml', () => {
  const actual = jest.requireActual('yaml');
  return { ...actual, parseAllDocuments: jest.fn(actual.parseAllDocuments) };
});
const parses = parseAllDocuments as jest.MockedFunction<typeof parseAllDocuments>;

const configMap = (name: string, data: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'mastodon' }, data });
const deployment = (secret: string) => JSON.stringify({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'mastodon' },
  spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: secret, key: 'a' } } }] }] } } },
});

function tree(n: number, changed: string): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 0; i < n; i++) files.set(`tenant-${i}/mastodon/ConfigMap.c${i}.yaml`, configMap(`c${i}`, { v: '1' }));
  files.set('tenant-0/mastodon/ConfigMap.changed.yaml', configMap('changed', { v: changed }));
  return files;
}

describe('compareTrees over mostly identical trees', () => {
  beforeEach(() => parses.mockClear());

  test('GIVEN 50 identical files and one changed THEN only the changed file is parsed, once per side', () => {
    const diff = compareTrees(tree(50, 'before'), tree(50, 'after'));
    expect(diff.resources).toEqual([expect.objectContaining({ change: 'changed', file: 'tenant-0/mastodon/ConfigMap.changed.yaml', fields: [{ path: 'data.v', before: 'before', after: 'after' }] })]);
    expect(parses).toHaveBeenCalledTimes(2);
  });

  test('GIVEN an object moved out of an identical path into a new file THEN the move is still seen (the old file differs: it is gone)', () => {
    const before = new Map([['a/x/ConfigMap.c.yaml', configMap('c', { v: '1' })], ['a/x/ConfigMap.d.yaml', configMap('d', {})]]);
    const after = new Map([['a/y/ConfigMap.c.yaml', configMap('c', { v: '1' })], ['a/x/ConfigMap.d.yaml', configMap('d', {})]]);
    expect(compareTrees(before, after).resources).toEqual([expect.objectContaining({ change: 'changed', fields: [{ path: '(file)', before: 'a/x/ConfigMap.c.yaml', after: 'a/y/ConfigMap.c.yaml' }] })]);
  });

  test('GIVEN identical trees THEN nothing is parsed and nothing differs', () => {
    const diff = compareTrees(tree(20, 'same'), tree(20, 'same'));
    expect(diff).toEqual({ resources: [], files: [] });
    expect(parses).not.toHaveBeenCalled();
  });

  test('GIVEN withSharedParses THEN the Secret uses of both trees parse each distinct content once, with the same findings as without', () => {
    const before = new Map([...tree(10, 'x'), ['tenant-0/mastodon/Deployment.web.yaml', deployment('old')]]);
    const after = new Map([...tree(10, 'x'), ['tenant-0/mastodon/Deployment.web.yaml', deployment('new')]]);
    const options = { clusterSecretsNamespace: 'cert-manager' };
    const alone = secretChanges(before, after, options);
    parses.mockClear();
    const shared = withSharedParses(() => {
      treeObjects(before);
      return secretChanges(before, after, options);
    });
    expect(shared).toEqual(alone);
    expect(shared.newSecrets.map((s) => s.name)).toEqual(['new']);
    // 11 ConfigMaps shared by both trees, and the two Deployments.
    expect(parses).toHaveBeenCalledTimes(13);
  });
});
