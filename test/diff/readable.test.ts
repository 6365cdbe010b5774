import { renderInstance } from '../../lib/app/render';
import { changedFields, compareTrees } from '../../lib/diff/compare';
import { markdownReport, textReport } from '../../lib/diff/report';
import { secretChanges, secretUses } from '../../lib/diff/secrets';
import { cutMarkdown } from '../../lib/diff/cut';
import { clusterUse, planDeltaLines } from '../../lib/diff/plan-delta';
import { exampleVariant, loadExample, replaceOnce, renderExample, renderedFiles } from '../helpers';

const ingress = (hosts: string[]) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'mastodon' },
  spec: { rules: hosts.map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 3000 } } } }] } })) },
});
const tree = (...objects: object[]) => new Map(objects.map((o: any) => [`i/${o.kind}.${o.metadata.name}.yaml`, JSON.stringify(o)]));

describe('lists are matched by their key', () => {
  test('GIVEN the middle of three Ingress rules removed THEN the diff names that rule, not every later rule shifted', () => {
    const diff = compareTrees(tree(ingress(['a.example.social', 'b.example.social', 'c.example.social'])), tree(ingress(['a.example.social', 'c.example.social'])));
    expect(diff.resources[0].fields.map((f) => f.path)).toEqual(['spec.rules[host=b.example.social]']);
    expect(markdownReport(diff, 'Rendered changes')).toContain('  - `spec.rules[host=b.example.social]`: removed (was `{"host":"b.example.social","http":{"paths":[{"path":"/","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":3000}}}}]}}`)');
  });

  test.each([
    ['volumeMounts by mount path', { volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'tmp', mountPath: '/var/tmp' }] }, { volumeMounts: [{ name: 'tmp', mountPath: '/var/tmp' }] }, ['volumeMounts[mountPath=/tmp]']],
    ['container ports by port', { ports: [{ containerPort: 3000, name: 'http' }, { containerPort: 9394 }] }, { ports: [{ containerPort: 9394 }] }, ['ports[containerPort=3000]']],
    ['Service ports by port and protocol', { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }, { ports: [{ port: 53, protocol: 'TCP', name: 'dns' }] }, ['ports[port=53/UDP]', 'ports[port=53].name']],
    ['tolerations by key', { tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] }, { tolerations: [{ key: 'b', operator: 'Exists' }] }, ['tolerations[key=a/Exists]']],
    ['env by name', { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'C', value: '3' }] }, { env: [{ name: 'A', value: '1' }, { name: 'C', value: '3' }] }, ['env[B]']],
    ['sets item by item', { hostnames: ['a', 'b', 'c'] }, { hostnames: ['a', 'c', 'd'] }, ['hostnames[b]', 'hostnames[d]']],
    ['unkeyed records by equal content first', { ingress: [{ from: 1 }, { from: 2 }, { from: 3 }] }, { ingress: [{ from: 1 }, { from: 3 }] }, ['ingress[1]']],
  ])('GIVEN %s THEN one item removed reads as that item', (_, before, after, paths) => {
    expect(changedFields(before, after).map((f) => f.path)).toEqual(paths);
  });

  test('GIVEN an ordered list of scalars (args) THEN it is compared whole', () => {
    expect(changedFields({ args: ['-q', 'a', '-q', 'b'] }, { args: ['-q', 'b'] })).toEqual([{ path: 'args', before: ['-q', 'a', '-q', 'b'], after: ['-q', 'b'] }]);
  });
});

describe('values are shown whole', () => {
  test('GIVEN two long values that differ only at the end THEN both are printed in full', () => {
    const long = 'x'.repeat(300);
    const diff = compareTrees(tree({ ...ingress([]), metadata: { name: 'web', namespace: 'mastodon', annotations: { a: `${long}1` } } }),
      tree({ ...ingress([]), metadata: { name: 'web', namespace: 'mastodon', annotations: { a: `${long}2` } } }));
    expect(textReport(diff)).toContain(`metadata.annotations.a: "${long}1" → "${long}2"`);
  });

  test('GIVEN a multi-line text changed THEN the Markdown shows a line diff in a fence', () => {
    const cm = (script: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 's', namespace: 'm' }, data: { 'run.sh': script } });
    const md = markdownReport(compareTrees(tree(cm('set -e\necho a\nexit 0\n')), tree(cm('set -e\necho b\nexit 0\n'))), 'T');
    expect(md).toContain(['  - `data["run.sh"]`: text changed (2 lines)', '', '    ```diff', '     set -e', '    -echo a', '    +echo b', '     exit 0', '     ', '    ```'].join('\n'));
  });
});

describe('renames', () => {
  const render = (edit: Parameters<typeof exampleVariant>[0]) => renderedFiles(exampleVariant(edit, 'example'));

  test('GIVEN a Sidekiq pool renamed THEN diff --markdown reads as that rename, with what Argo CD does, and nothing added or removed', () => {
    const before = renderExample();
    const after = render({ queuePlan: (t) => replaceOnce(t, '  scheduler:\n', '  cron:\n') });
    const diff = compareTrees(before, after);
    // The example's monitoring names its PodMonitor and scrape policy after the pool too, and the scheduler alert names the pool serving the scheduler queue.
    expect(diff.resources.map((r) => `${r.change} ${r.id.kind} ${r.id.name}`).sort()).toEqual(['changed PrometheusRule example-operations', 'renamed Deployment sidekiq-cron', 'renamed NetworkPolicy allow-scrape-sidekiq-cron', 'renamed PodMonitor sidekiq-cron']);
    const md = markdownReport(diff, 'Rendered changes');
    expect(md).toContain('**3 renamed, 1 changed**');
    expect(md).toContain('#### Renamed\n\n- `Deployment mastodon/sidekiq-scheduler` renamed to `sidekiq-cron` (`example/mastodon/Deployment.sidekiq-cron.yaml`): Argo CD deletes the old Deployment and creates the new one (the old pods stop when it is pruned; the new ones start from scratch); nothing else changes');
    expect(md).not.toContain('#### Added');
    expect(md).not.toContain('#### Removed');
  });

  test('GIVEN a pool renamed and resized THEN the size change follows the rename', () => {
    const before = renderExample();
    const after = render({ queuePlan: (t) => replaceOnce(replaceOnce(t, '  default: # → Deployment sidekiq-default\n', '  main:\n'), 'replicas: 4', 'replicas: 3') });
    const diff = compareTrees(before, after);
    const renamed = diff.resources.filter((r) => r.change === 'renamed').map((r) => `${r.renamedFrom!.id.name} → ${r.id.name}: ${r.fields.map((f) => f.path).join(', ')}`);
    expect(renamed.sort()).toEqual(['allow-scrape-sidekiq-default → allow-scrape-sidekiq-main: ', 'sidekiq-default → sidekiq-main: ', 'sidekiq-default → sidekiq-main: ', 'sidekiq-default → sidekiq-main: spec.replicas']);
  });

  test('GIVEN two unrelated objects of one kind, one removed and one added THEN no rename', () => {
    const cm = (name: string, data: object) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'm' }, data });
    const diff = compareTrees(tree(cm('a', { x: '1', y: '2', z: '3' })), tree(cm('b', { p: '1', q: '2', r: '3' })));
    expect(diff.resources.map((r) => r.change).sort()).toEqual(['added', 'removed']);
  });
});

describe('Secrets to create and to delete', () => {
  const options = { clusterSecretsNamespace: 'cert-manager' };
  const withoutDeepl = (t: string) => replaceOnce(t, '# Translation of posts through DeepL\'s API.\ntranslation:\n  deepl:\n    apiKey: { name: deepl, key: api-key }\n    plan: pro\n', '');

  test('GIVEN a new Secret read THEN diff --markdown asks to create it before merging, with its key and reader, first after the title', () => {
    const before = renderedFiles(exampleVariant({ instance: withoutDeepl }, 'example'));
    const after = renderExample();
    const secrets = secretChanges(before, after, options);
    const md = markdownReport(compareTrees(before, after), 'Rendered changes', undefined, secrets);
    expect(md.split('\n').slice(0, 10)).toEqual([
      '### Rendered changes',
      '',
      expect.stringMatching(/^\*\*\d+ changed\*\*$/),
      '',
      '#### 🔑 Secrets',
      '',
      'Create before merging (a pod that reads a missing Secret or key does not start; see SECRETS.md for the commands):',
      '',
      '- new Secret `mastodon/deepl`: key `api-key` (read as `DEEPL_API_KEY`)',
      '',
    ]);
  });

  test('GIVEN a Secret no longer read THEN it is listed to delete after the sync', () => {
    const before = renderExample();
    const after = renderedFiles(exampleVariant({ instance: withoutDeepl }, 'example'));
    const md = markdownReport(compareTrees(before, after), 'T', undefined, secretChanges(before, after, options));
    expect(md).toContain('No longer read (delete after the sync, unless something outside this repository reads them):\n\n- Secret `mastodon/deepl`: key `api-key` (read as `DEEPL_API_KEY`)\n');
  });

  test('GIVEN the example THEN every Secret key SECRETS.md lists is found in the rendered objects (same facts, both sides of a diff)', () => {
    const tree = renderExample();
    const found = new Set(secretUses(tree, options).map((u) => `${u.namespace}/${u.name}/${u.key}`));
    const listed = [...tree.get('example/SECRETS.md')!.matchAll(/^\| `([^`]+)` \| `([^`]+)` \| `([^`]+)` \|/gm)].map((m) => `${m[1]}/${m[2]}/${m[3]}`);
    expect(listed.length).toBeGreaterThan(10);
    expect(listed.filter((k) => !found.has(k))).toEqual([]);
  });

  test('GIVEN no Secret change THEN no Secrets section', () => {
    const tree = renderExample();
    const after = renderedFiles(exampleVariant({ queuePlan: (t) => replaceOnce(t, 'replicas: 4', 'replicas: 3') }, 'example'));
    expect(markdownReport(compareTrees(tree, after), 'T', undefined, secretChanges(tree, after, options))).not.toContain('Secrets');
  });
});

describe('a report cut to a comment', () => {
  test('GIVEN a report that fits THEN it is unchanged', () => {
    expect(cutMarkdown('a\nb\n', 100, 'see the job summary')).toBe('a\nb\n');
  });

  test('GIVEN a long report THEN it is cut on a line boundary, within the limit, and says how much is left out and where to read it', () => {
    const md = Array.from({ length: 100 }, (_, i) => `- line ${i} é 😀`).join('\n');
    const cut = cutMarkdown(md, 300, 'the job summary has the whole report');
    expect(cut.length).toBeLessThanOrEqual(300);
    const shown = cut.split('\n').filter((l) => l.startsWith('- line'));
    expect(shown.every((l) => / é 😀$/.test(l))).toBe(true);
    expect(cut).toMatch(new RegExp(`\\*\\*… ${100 - shown.length} more lines not shown here \\(300 characters at most\\): the job summary has the whole report\\*\\*\\n$`));
  });

  test('GIVEN a cut inside a fenced diff within <details> THEN the fence and the block are closed', () => {
    const md = ['- a', '  <details><summary>x</summary>', '', '    ```diff', ...Array.from({ length: 50 }, (_, i) => `    +line ${i}`), '    ```', '', '  </details>', '- b'].join('\n');
    const cut = cutMarkdown(md, 200, 'see the job summary');
    const body = cut.split('\n');
    expect(body.filter((l) => l.trim() === '```').length).toBe(1);
    expect(body).toContain('    ```');
    expect(body).toContain('</details>');
    expect(cut.length).toBeLessThanOrEqual(200);
  });
});

describe('the plan delta on top', () => {
  test('GIVEN the example THEN the use read from its rendered objects matches `plan` for the Mastodon workloads, plus the Dragonflies', () => {
    const model = loadExample();
    const use = clusterUse(renderInstance(model).files);
    // plan (config): web 2 + streaming 2 + sidekiq 4 + 1 = 9 pods; the Dragonflies: 3 × 2.
    expect(use.pods).toBe(9 + 6);
    expect(use.threads).toBe(2 * 2 * 8 + 4 * 8 + 1 * 4);
    expect(use.dbConnections).toBe(2 * 2 * 8 + 2 * 10 + 4 * 8 + 1 * 4);
  });

  test('GIVEN a pool with more replicas THEN diff --markdown starts with the table of pods, threads, connections and resources before and after', () => {
    const before = renderExample();
    const after = renderedFiles(exampleVariant({ queuePlan: (t) => replaceOnce(t, 'replicas: 4', 'replicas: 6') }, 'example'));
    const md = markdownReport(compareTrees(before, after), 'T', undefined, undefined, planDeltaLines(clusterUse(before), clusterUse(after)));
    const lines = md.split('\n');
    expect(lines.slice(4, 9)).toEqual([
      '#### Plan: what the steady workloads ask of the cluster',
      '',
      '| | before | after | Δ |',
      '| --- | ---: | ---: | ---: |',
      '| pods (Deployments at their most, StatefulSets, Dragonflies) | 15 | 17 | +2 |',
    ]);
    expect(lines[9]).toBe('| Puma and Sidekiq threads | 68 | 84 | +16 |');
    expect(lines[10]).toBe('| PostgreSQL connections (DB_POOL per process) | 88 | 104 | +16 |');
    expect(md.indexOf('#### Plan')).toBeLessThan(md.indexOf('#### Changed'));
  });

  test('GIVEN no change in use THEN no table', () => {
    const tree = renderExample();
    expect(planDeltaLines(clusterUse(tree), clusterUse(tree))).toEqual([]);
  });

  test('GIVEN an init container larger than the app and a sidecar THEN the pod request follows Kubernetes\' rule', () => {
    const c = (cpu: string, extra: object = {}) => ({ name: cpu, resources: { requests: { cpu, memory: '10Mi' } }, ...extra });
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' },
      spec: { replicas: 2, template: { spec: { initContainers: [c('100m', { restartPolicy: 'Always' }), c('900m')], containers: [c('300m')] } } } };
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'd', namespace: 'n' }, spec: { maxReplicas: 3, scaleTargetRef: { kind: 'Deployment', name: 'd' } } };
    const use = clusterUse(tree(deployment, hpa));
    // max(300 + 100, 900 + 100) = 1000m per pod, at the autoscaler's 3 pods.
    expect(use).toMatchObject({ pods: 3, cpuRequestMillis: 3000 });
  });
});
