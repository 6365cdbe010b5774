import { compareTrees, describeResource, objectsOfKind, TreeDiff } from '../../lib/diff/compare';
import { immutableChanges } from '../../lib/diff/immutable-changes';
import { exampleVariant, replaceOnce, renderExample, renderedFiles } from '../helpers';

/** What a change touches: `<change> <Kind> <namespace>/<name>` and `<change> file <path>`, sorted. */
function touched(diff: TreeDiff): string[] {
  return [
    ...diff.resources.map((r) => `${r.change} ${describeResource(r.id)}`),
    ...diff.files.map((f) => `${f.change} file ${f.file}`),
  ].sort();
}

/** The rendered difference between the example and the example with `edit` applied. */
function change(edit: Parameters<typeof exampleVariant>[0]): TreeDiff {
  return changeWithTree(edit).diff;
}

/** The same, with the new rendered tree (its Applications say how Argo CD writes some objects). */
function changeWithTree(edit: Parameters<typeof exampleVariant>[0]) {
  const before = renderExample();
  const after = renderedFiles(exampleVariant(edit, 'example'));
  return { diff: compareTrees(before, after), after };
}

describe('change scenarios touch exactly the resources they should', () => {
  test('GIVEN a Mastodon version bump THEN the workloads roll and the Jobs keep their names (hooks re-created; the search Job\'s spec ignored by Argo CD), but the dump before the migrations, which is the version\'s', () => {
    const diff = change({ instance: (t) => replaceOnce(t, 'version: v4.7.2', 'version: v4.7.3') });
    expect(touched(diff)).toEqual([
      'changed CronJob mastodon/maintenance-media-remove',
      'changed CronJob mastodon/maintenance-preview-cards-remove',
      'changed Deployment mastodon/sidekiq-default',
      'changed Deployment mastodon/sidekiq-scheduler',
      'changed Deployment mastodon/streaming',
      'changed Deployment mastodon/web',
      'changed Job mastodon/db-migrate-post',
      'changed Job mastodon/db-migrate-pre',
      'changed Job mastodon/search-deploy-1',
      'renamed Job mastodon/db-backup-pre-v4-7-3',
    ]);
    const web = diff.resources.find((r) => r.id.name === 'web')!;
    expect(web.fields.map((f) => f.path)).toEqual([
      'metadata.labels["app.kubernetes.io/version"]',
      'spec.template.metadata.labels["app.kubernetes.io/version"]',
      'spec.template.spec.containers[mastodon].image',
      'spec.template.spec.containers[prometheus-exporter].image',
      'spec.template.spec.initContainers[prepare-tmpdir].image',
    ]);
  });

  test('GIVEN one pool\'s threads changed THEN only that pool\'s Deployment changes, in its arguments, DB_POOL and resources', () => {
    const diff = change({ queuePlan: (t) => replaceOnce(t, 'threads: 8 #', 'threads: 10 #') });
    expect(touched(diff)).toEqual(['changed Deployment mastodon/sidekiq-default']);
    expect(diff.resources[0].fields.map((f) => f.path)).toEqual([
      'spec.template.spec.containers[mastodon].args',
      'spec.template.spec.containers[mastodon].env[DB_POOL].value',
      'spec.template.spec.containers[mastodon].resources.limits.memory',
      'spec.template.spec.containers[mastodon].resources.requests.cpu',
      'spec.template.spec.containers[mastodon].resources.requests.memory',
    ]);
  });

  test('GIVEN a pool added THEN only its Deployment is added, with its scrape policy and PodMonitor', () => {
    const diff = change({ queuePlan: (t) => `${t}  pull:\n    threads: 5\n    replicas: 1\n    queues: [pull]\n` });
    expect(touched(diff)).toEqual(['added Deployment mastodon/sidekiq-pull', 'added NetworkPolicy mastodon/allow-scrape-sidekiq-pull', 'added PodMonitor mastodon/sidekiq-pull']);
  });

  test('GIVEN the domain changed THEN the settings, every pod through its config hash, the migration Jobs and the Ingress hosts change', () => {
    const diff = change({ instance: (t) => replaceOnce(replaceOnce(t, 'localDomain: example.social', 'localDomain: example.org'), 'webDomain: example.social', 'webDomain: example.org') });
    expect(touched(diff)).toEqual([
      'changed ConfigMap mastodon/mastodon-env',
      'changed Deployment mastodon/sidekiq-default',
      'changed Deployment mastodon/sidekiq-scheduler',
      'changed Deployment mastodon/streaming',
      'changed Deployment mastodon/web',
      'changed Ingress mastodon/streaming',
      'changed Ingress mastodon/web',
      'changed Job mastodon/db-migrate-post',
      'changed Job mastodon/db-migrate-pre',
    ]);
    expect(diff.resources.find((r) => r.id.kind === 'ConfigMap')!.fields.map((f) => f.path)).toEqual(['data.LOCAL_DOMAIN', 'data.WEB_DOMAIN']);
  });
});

describe('change scenarios against the API server (immutable fields)', () => {
  const immutable = (diff: ReturnType<typeof changeWithTree>) => immutableChanges(diff.diff, objectsOfKind(diff.after, 'Application'));
  const rejected = (diff: ReturnType<typeof changeWithTree>) => immutable(diff).rejected.map((r) => `${describeResource(r.id)}: ${r.violations.flatMap((v) => v.fields).join(', ')}`);
  const handled = (diff: ReturnType<typeof changeWithTree>) => immutable(diff).recreated.map((r) => `${r.outcome} ${describeResource(r.id)}: ${r.fields.join(', ')}`);

  // upstream-platform-audit.md A2: the old HookFailed hooks changed their pod template under the
  // same name on every upgrade and config change. The migration hooks are now recreated
  // (BeforeHookCreation) and the search Job's spec is kept as live (RespectIgnoreDifferences).
  test('GIVEN a Mastodon version bump THEN nothing is rejected: the hooks are recreated and the search Job keeps its live spec', () => {
    const diff = changeWithTree({ instance: (t) => replaceOnce(t, 'version: v4.7.2', 'version: v4.7.3') });
    expect(rejected(diff)).toEqual([]);
    expect(handled(diff)).toEqual([
      'recreated Job mastodon/db-migrate-post: spec.template',
      'recreated Job mastodon/db-migrate-pre: spec.template',
      'kept as live Job mastodon/search-deploy-1: spec.template',
    ]);
  });

  test('GIVEN a config-only change THEN nothing is rejected: the migration hooks are recreated', () => {
    const diff = changeWithTree({ instance: (t) => replaceOnce(replaceOnce(t, 'localDomain: example.social', 'localDomain: example.org'), 'webDomain: example.social', 'webDomain: example.org') });
    expect(rejected(diff)).toEqual([]);
    expect(handled(diff)).toEqual([
      'recreated Job mastodon/db-migrate-post: spec.template',
      'recreated Job mastodon/db-migrate-pre: spec.template',
    ]);
  });

  test('GIVEN the search Application without RespectIgnoreDifferences THEN a version bump is rejected on the search Job', () => {
    const diff = changeWithTree({ instance: (t) => replaceOnce(t, 'version: v4.7.2', 'version: v4.7.3') });
    const apps = objectsOfKind(diff.after, 'Application') as any[];
    for (const app of apps) app.spec.syncPolicy.syncOptions = (app.spec.syncPolicy.syncOptions ?? []).filter((o: string) => o !== 'RespectIgnoreDifferences=true');
    expect(immutableChanges(diff.diff, apps).rejected.map((r) => describeResource(r.id))).toEqual(['Job mastodon/search-deploy-1']);
  });

  test("GIVEN one pool's threads changed THEN nothing is rejected (a Deployment's template is mutable)", () => {
    expect(rejected(changeWithTree({ queuePlan: (t) => replaceOnce(t, 'threads: 8 #', 'threads: 10 #') }))).toEqual([]);
  });
});
