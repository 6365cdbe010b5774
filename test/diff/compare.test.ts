import { changedFields, compareTrees, FILE_FIELD, isEmpty } from '../../lib/diff/compare';
import { markdownReport, summary, textReport } from '../../lib/diff/report';

const deployment = (image: string, extra: object = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'mastodon', labels: { 'app.kubernetes.io/version': 'v1' } },
  spec: { template: { spec: { containers: [{ name: 'mastodon', image, env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] } }, ...extra },
});
const yaml = (o: object) => JSON.stringify(o); // JSON is YAML

describe('changedFields', () => {
  test('GIVEN lists of named objects THEN items are matched by name', () => {
    const a = deployment('img:1');
    const b = deployment('img:2');
    expect(changedFields(a, b)).toEqual([{ path: 'spec.template.spec.containers[mastodon].image', before: 'img:1', after: 'img:2' }]);
  });

  test('GIVEN keys that are no identifiers THEN they are quoted', () => {
    const b = { ...deployment('img:1'), metadata: { ...deployment('img:1').metadata, labels: { 'app.kubernetes.io/version': 'v2' } } };
    expect(changedFields(deployment('img:1'), b)).toEqual([{ path: 'metadata.labels["app.kubernetes.io/version"]', before: 'v1', after: 'v2' }]);
  });

  test('GIVEN added and removed fields THEN each has only its side', () => {
    expect(changedFields({ a: 1, b: 2 }, { b: 2, c: 3 })).toEqual([{ path: 'a', before: 1 }, { path: 'c', after: 3 }]);
  });

  test('GIVEN a list of scalars THEN it is compared whole', () => {
    expect(changedFields({ args: ['-c', '8'] }, { args: ['-c', '10'] })).toEqual([{ path: 'args', before: ['-c', '8'], after: ['-c', '10'] }]);
  });

  test('GIVEN objects without names THEN they are matched by position', () => {
    expect(changedFields({ rules: [{ x: 1 }, { x: 2 }] }, { rules: [{ x: 1 }, { x: 3 }, { x: 4 }] })).toEqual([
      { path: 'rules[1].x', before: 2, after: 3 },
      { path: 'rules[2]', after: { x: 4 } },
    ]);
  });

  test('GIVEN named items in another order THEN the order change is reported (env interpolation depends on it)', () => {
    const env = (names: string[]) => ({ env: names.map((name) => ({ name, value: name })) });
    expect(changedFields(env(['A', 'B']), env(['B', 'A']))).toEqual([{ path: 'env (order)', before: ['A', 'B'], after: ['B', 'A'] }]);
  });

  test('GIVEN equal values THEN nothing', () => {
    expect(changedFields(deployment('img:1'), deployment('img:1'))).toEqual([]);
  });
});

describe('compareTrees', () => {
  test('GIVEN two trees THEN resources are added, removed or changed by identity, other files by content', () => {
    const before = new Map([
      ['i/mastodon/Deployment.web.yaml', yaml(deployment('img:1'))],
      ['i/mastodon/Service.web.yaml', yaml({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'mastodon' } })],
      ['i/SECRETS.md', '# old'],
      ['i/notes.yaml', 'just: a note'],
    ]);
    const after = new Map([
      ['i/mastodon/Deployment.web.yaml', yaml(deployment('img:2'))],
      ['i/cluster/ClusterIssuer.le.yaml', yaml({ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' } })],
      ['i/SECRETS.md', '# new'],
      ['i/notes.yaml', 'just: a note'],
    ]);
    const diff = compareTrees(before, after);
    expect(diff.resources.map((r) => [r.change, r.id.kind, r.id.namespace, r.id.name, r.file])).toEqual([
      ['added', 'ClusterIssuer', undefined, 'le', 'i/cluster/ClusterIssuer.le.yaml'],
      ['changed', 'Deployment', 'mastodon', 'web', 'i/mastodon/Deployment.web.yaml'],
      ['removed', 'Service', 'mastodon', 'web', 'i/mastodon/Service.web.yaml'],
    ]);
    expect(diff.files).toEqual([{ file: 'i/SECRETS.md', change: 'changed' }]);
    expect(summary(diff)).toBe('1 added, 1 removed, 2 changed');
  });

  test('GIVEN a resource that moved to another file THEN the move is its change', () => {
    const o = yaml(deployment('img:1'));
    const diff = compareTrees(new Map([['a/Deployment.web.yaml', o]]), new Map([['b/Deployment.web.yaml', o]]));
    expect(diff.resources).toEqual([expect.objectContaining({ change: 'changed', fields: [{ path: FILE_FIELD, before: 'a/Deployment.web.yaml', after: 'b/Deployment.web.yaml' }] })]);
  });

  test('GIVEN equal trees THEN the diff is empty', () => {
    const tree = new Map([['x.yaml', yaml(deployment('a'))], ['SECRETS.md', 's']]);
    expect(isEmpty(compareTrees(tree, new Map(tree)))).toBe(true);
  });
});

describe('reports', () => {
  const diff = compareTrees(
    new Map([['i/Deployment.web.yaml', yaml(deployment('img:1'))], ['i/SECRETS.md', 'a']]),
    new Map([['i/Deployment.web.yaml', yaml(deployment('img:2', { replicas: 3 }))], ['i/Job.x.yaml', yaml({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x', namespace: 'mastodon' } })]]),
  );

  test('GIVEN a diff THEN the text report lists resources with their changed fields', () => {
    expect(textReport(diff)).toBe([
      '~ Deployment mastodon/web  (i/Deployment.web.yaml)',
      '    spec.replicas: added 3',
      '    spec.template.spec.containers[mastodon].image: "img:1" → "img:2"',
      '+ Job mastodon/x  (i/Job.x.yaml)',
      '- file i/SECRETS.md',
      '',
    ].join('\n'));
  });

  test('GIVEN a diff THEN the Markdown report groups by change and quotes paths as code', () => {
    expect(markdownReport(diff, 'Rendered changes')).toBe([
      '### Rendered changes',
      '',
      '**1 added, 1 removed, 1 changed**',
      '',
      '#### Added',
      '',
      '- `Job mastodon/x` in `i/Job.x.yaml`',
      '',
      '#### Removed',
      '',
      '- file `i/SECRETS.md`',
      '',
      '#### Changed',
      '',
      '- `Deployment mastodon/web` in `i/Deployment.web.yaml`',
      '  - `spec.replicas`: added `3`',
      '  - `spec.template.spec.containers[mastodon].image`: `"img:1"` → `"img:2"`',
      '',
    ].join('\n'));
  });
});
