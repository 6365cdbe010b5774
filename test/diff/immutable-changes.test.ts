import { compareTrees } from '../../lib/diff/compare';
import { DIFF_EXIT, diffExitCode } from '../../lib/diff/exit-codes';
import { immutableChanges } from '../../lib/diff/immutable-changes';
import { markdownReport, textReport } from '../../lib/diff/report';

type Obj = Record<string, any>;
const yaml = (o: object) => JSON.stringify(o); // JSON is YAML

/** GIVEN an old and a new object of one identity WHEN diffed: exit code and both reports. */
function diffed(before: Obj, after: Obj) {
  const file = `i/${before.kind}.${before.metadata.name}.yaml`;
  const diff = compareTrees(new Map([[file, yaml(before)]]), new Map([[file, yaml(after)]]));
  const immutable = immutableChanges(diff);
  return { immutable, code: diffExitCode(diff, immutable), text: textReport(diff, immutable), markdown: markdownReport(diff, 'Rendered changes', immutable) };
}

function edit(o: Obj, change: (copy: Obj) => void): Obj {
  const copy = structuredClone(o);
  change(copy);
  return copy;
}

const meta = (kind: string, annotations?: Record<string, string>) => ({ name: kind.toLowerCase(), namespace: 'mastodon', ...(annotations ? { annotations } : {}) });
const template = (image: string) => ({ metadata: { labels: { app: 'x' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'mastodon', image }] } });
const job = (annotations?: Record<string, string>): Obj => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: meta('Job', annotations), spec: { backoffLimit: 1, template: template('img:1') } });
const deployment: Obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('Deployment'), spec: { replicas: 2, selector: { matchLabels: { app: 'x' } }, template: template('img:1') } };
const statefulSet: Obj = {
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('StatefulSet'),
  spec: { serviceName: 'db', podManagementPolicy: 'OrderedReady', selector: { matchLabels: { app: 'x' } }, template: template('img:1'), volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } }] },
};
const service: Obj = { apiVersion: 'v1', kind: 'Service', metadata: meta('Service'), spec: { clusterIP: '10.0.0.10', ports: [{ port: 80 }] } };
const pvc: Obj = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('PersistentVolumeClaim'), spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'do-block-storage', resources: { requests: { storage: '10Gi' } } } };
const configMap: Obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('ConfigMap'), immutable: true, data: { A: '1' } };

describe('diff warns about changes the API server will reject', () => {
  test.each<[string, Obj, (o: Obj) => void, string]>([
    ["a Job's pod template", job(), (o) => { o.spec.template.spec.containers[0].image = 'img:2'; }, 'spec.template'],
    ["a Job's selector", job(), (o) => { o.spec.selector = { matchLabels: { a: 'b' } }; }, 'spec.selector'],
    ["a Job's completions", job(), (o) => { o.spec.completions = 3; }, 'spec.completions'],
    ["a Deployment's selector", deployment, (o) => { o.spec.selector.matchLabels.part = 'web'; o.spec.template.metadata.labels.part = 'web'; }, 'spec.selector'],
    ["a StatefulSet's selector", statefulSet, (o) => { o.spec.selector.matchLabels.app = 'y'; o.spec.template.metadata.labels.app = 'y'; }, 'spec.selector'],
    ["a StatefulSet's volumeClaimTemplates", statefulSet, (o) => { o.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '2Gi'; }, 'spec.volumeClaimTemplates'],
    ["a StatefulSet's serviceName", statefulSet, (o) => { o.spec.serviceName = 'db-headless'; }, 'spec.serviceName'],
    ["a StatefulSet's podManagementPolicy", statefulSet, (o) => { o.spec.podManagementPolicy = 'Parallel'; }, 'spec.podManagementPolicy'],
    ["a Service's clusterIP", service, (o) => { o.spec.clusterIP = '10.0.0.11'; }, 'spec.clusterIP'],
    ["a Service's clusterIPs", service, (o) => { o.spec.clusterIPs = ['10.0.0.11']; }, 'spec.clusterIPs'],
    ['a PVC shrink', pvc, (o) => { o.spec.resources.requests.storage = '5Gi'; }, 'spec.resources.requests.storage'],
    ["a PVC's storageClassName", pvc, (o) => { o.spec.storageClassName = 'do-block-storage-xfs'; }, 'spec.storageClassName'],
    ["a PVC's accessModes", pvc, (o) => { o.spec.accessModes = ['ReadWriteMany']; }, 'spec.accessModes'],
    ["an immutable ConfigMap's data", configMap, (o) => { o.data.A = '2'; }, 'data'],
  ])('GIVEN %s changed under the same name WHEN diffed THEN the warning names the field and the exit code is 3', (_, before, change, field) => {
    const { code, immutable, text, markdown } = diffed(before, edit(before, change));
    expect(code).toBe(DIFF_EXIT.rejected);
    expect(immutable.rejected.flatMap((r) => r.violations.flatMap((v) => v.fields))).toContain(field);
    const id = `${before.kind} mastodon/${before.metadata.name}`;
    expect(text).toMatch(new RegExp(`^Will be rejected by the API server \\(1\\): .*the sync fails until it is fixed\\.\\n! ${id}  \\(i/`));
    expect(text).toContain(`    ${field}`);
    expect(text).toContain('      fix: ');
    expect(markdown).toContain('#### ⛔ Will be rejected by the API server');
    expect(markdown).toContain(`- \`${id}\` in`);
    expect(markdown).toContain(`\`${field}\``);
    expect(markdown).toContain('**Fix:**');
  });

  test('GIVEN a rejected change WHEN reported as Markdown THEN the section comes before the usual groups, which keep their structure', () => {
    const { markdown } = diffed(job(), edit(job(), (o) => { o.spec.template.spec.containers[0].image = 'img:2'; }));
    expect(markdown.split('\n')).toEqual([
      '### Rendered changes',
      '',
      '**1 changed**',
      '',
      '#### ⛔ Will be rejected by the API server',
      '',
      'Each keeps its name but changes a field the API server does not allow to change: Argo CD applies it in place, the API server refuses, and the sync fails until it is fixed.',
      '',
      '- `Job mastodon/job` in `i/Job.job.yaml`',
      expect.stringMatching(/^ {2}- `spec\.template`: a Job's pod template cannot change once the Job exists .*\. \*\*Fix:\*\* give it a new name .*BeforeHookCreation.*\.$/),
      '',
      '#### Changed',
      '',
      '- `Job mastodon/job` in `i/Job.job.yaml`',
      '  - `spec.template.spec.containers[mastodon].image`: `"img:1"` → `"img:2"`',
      '',
    ]);
  });

  test('GIVEN a hook Job with hook-delete-policy HookFailed THEN it is rejected, with the hook explained', () => {
    const hook = job({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookFailed' });
    const { code, text, markdown } = diffed(hook, edit(hook, (o) => { o.spec.template.spec.containers[0].image = 'img:2'; }));
    expect(code).toBe(DIFF_EXIT.rejected);
    expect(text).toContain('    note: an Argo CD hook with `hook-delete-policy` HookFailed is applied over the live one of the same name; only BeforeHookCreation deletes it first');
    expect(markdown).toContain('  - Note: an Argo CD hook');
  });

  test('GIVEN Replace=true alone THEN still rejected, with a note that only Force=true,Replace=true recreates', () => {
    const replaced = edit(deployment, (o) => { o.metadata.annotations = { 'argocd.argoproj.io/sync-options': 'Replace=true' }; });
    const { code, text } = diffed(replaced, edit(replaced, (o) => { o.spec.selector.matchLabels.part = 'web'; o.spec.template.metadata.labels.part = 'web'; }));
    expect(code).toBe(DIFF_EXIT.rejected);
    expect(text).toContain('note: `Replace=true` alone runs `kubectl replace`');
  });
});

describe('diff does not warn where the API server accepts the change or Argo CD recreates the object', () => {
  test('GIVEN a hook Job with BeforeHookCreation whose template changes THEN exit 1 and the report says it will be recreated', () => {
    const hook = job({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    const { code, immutable, text, markdown } = diffed(hook, edit(hook, (o) => { o.spec.template.spec.containers[0].image = 'img:2'; }));
    expect(code).toBe(DIFF_EXIT.differs);
    expect(immutable.rejected).toEqual([]);
    expect(text).not.toContain('Will be rejected');
    expect(text).toContain('~ Job mastodon/job  (i/Job.job.yaml)\n    recreated by Argo CD (spec.template cannot change in place): hook with `argocd.argoproj.io/hook-delete-policy` BeforeHookCreation: Argo CD deletes the old one before creating it\n');
    expect(markdown).not.toContain('Will be rejected');
    expect(markdown).toContain('- `Job mastodon/job` in `i/Job.job.yaml` — recreated by Argo CD (`spec.template` cannot change in place)');
  });

  test('GIVEN Force=true,Replace=true on a Deployment whose selector changes THEN recreated, exit 1', () => {
    const forced = edit(deployment, (o) => { o.metadata.annotations = { 'argocd.argoproj.io/sync-options': 'Force=true,Replace=true' }; });
    const { code, immutable } = diffed(forced, edit(forced, (o) => { o.spec.selector.matchLabels.part = 'web'; o.spec.template.metadata.labels.part = 'web'; }));
    expect(code).toBe(DIFF_EXIT.differs);
    expect(immutable.recreated.map((r) => r.fields)).toEqual([['spec.selector']]);
  });

  test.each<[string, Obj, (o: Obj) => void]>([
    ["a Deployment's image and replicas", deployment, (o) => { o.spec.template.spec.containers[0].image = 'img:2'; o.spec.replicas = 4; }],
    ["a Job's backoffLimit", job(), (o) => { o.spec.backoffLimit = 4; }],
    ["a CronJob's jobTemplate (mutable)", { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('CronJob'), spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: template('img:1') } } } }, (o) => { o.spec.jobTemplate.spec.template.spec.containers[0].image = 'img:2'; }],
    ["a PodDisruptionBudget's selector (mutable since 1.15)", { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('PodDisruptionBudget'), spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'x' } } } }, (o) => { o.spec.selector.matchLabels.app = 'y'; }],
    ["an Ingress's rules", { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('Ingress'), spec: { rules: [{ host: 'a.example' }] } }, (o) => { o.spec.rules[0].host = 'b.example'; }],
    ['a PVC growing', pvc, (o) => { o.spec.resources.requests.storage = '20Gi'; }],
    ["a mutable ConfigMap's data", edit(configMap, (o) => { delete o.immutable; }), (o) => { o.data.A = '2'; }],
  ])('GIVEN %s changed THEN no warning and exit 1', (_, before, change) => {
    const { code, text, markdown } = diffed(before, edit(before, change));
    expect(code).toBe(DIFF_EXIT.differs);
    expect(text).not.toMatch(/rejected|recreated/);
    expect(markdown).not.toMatch(/rejected|recreated/);
  });

  test('GIVEN a renamed Job (new name, old one removed) THEN no warning: Argo CD creates one and prunes the other', () => {
    const before = job();
    const after = edit(job(), (o) => { o.metadata.name = 'job-v2'; o.spec.template.spec.containers[0].image = 'img:2'; });
    const diff = compareTrees(new Map([['i/Job.job.yaml', yaml(before)]]), new Map([['i/Job.job-v2.yaml', yaml(after)]]));
    expect(diffExitCode(diff, immutableChanges(diff))).toBe(DIFF_EXIT.differs);
  });

  test('GIVEN no change THEN exit 0', () => {
    const tree = new Map([['i/Job.job.yaml', yaml(job())]]);
    const diff = compareTrees(tree, new Map(tree));
    expect(diffExitCode(diff, immutableChanges(diff))).toBe(DIFF_EXIT.same);
  });
});
