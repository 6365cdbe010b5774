import { loadInstance } from '../../lib/config/load';
import { compareTrees, describeResource, TreeDiff } from '../../lib/diff/compare';
import { renderInstance } from '../../lib/render/render';
import { exampleVariant, loadExample, replaceOnce } from '../helpers';

/** What a change touches: `<change> <Kind> <namespace>/<name>` and `<change> file <path>`, sorted. */
function touched(diff: TreeDiff): string[] {
  return [
    ...diff.resources.map((r) => `${r.change} ${describeResource(r.id)}`),
    ...diff.files.map((f) => `${f.change} file ${f.file}`),
  ].sort();
}

/** The rendered difference between the example and the example with `edit` applied. */
function change(edit: Parameters<typeof exampleVariant>[0]): TreeDiff {
  const before = renderInstance(loadExample()).files;
  const after = renderInstance(loadInstance(exampleVariant(edit, 'example'))).files;
  return compareTrees(before, after);
}

describe('change scenarios touch exactly the resources they should', () => {
  test('GIVEN a Mastodon version bump THEN the workloads roll and the Jobs keep their names (hooks re-created; the search Job\'s spec ignored by Argo CD)', () => {
    const diff = change({ instance: (t) => replaceOnce(t, 'version: v4.7.2', 'version: v4.7.3') });
    expect(touched(diff)).toEqual([
      'changed Deployment mastodon/sidekiq-default',
      'changed Deployment mastodon/sidekiq-scheduler',
      'changed Deployment mastodon/streaming',
      'changed Deployment mastodon/web',
      'changed Job mastodon/db-migrate-post',
      'changed Job mastodon/db-migrate-pre',
      'changed Job mastodon/search-deploy-1',
    ]);
    const web = diff.resources.find((r) => r.id.name === 'web')!;
    expect(web.fields.map((f) => f.path)).toEqual([
      'metadata.labels["app.kubernetes.io/version"]',
      'spec.template.metadata.labels["app.kubernetes.io/version"]',
      'spec.template.spec.containers[mastodon].image',
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

  test('GIVEN a pool added THEN only its Deployment is added', () => {
    const diff = change({ queuePlan: (t) => `${t}  pull:\n    threads: 5\n    replicas: 1\n    queues: [pull]\n` });
    expect(touched(diff)).toEqual(['added Deployment mastodon/sidekiq-pull']);
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
