import { RenderedTree } from '../../lib/core/tree';
import { compareTrees } from '../../lib/diff/compare';
import { leftBehind, leftBehindMarkdown, leftBehindText } from '../../lib/diff/left-behind';
import { textReport } from '../../lib/diff/report';
import { EXAMPLE_DIR, exampleVariant, GATEWAY_EXAMPLE_DIR, replaceOnce, runCli, sidekiqOnValkey, tempDir, renderExample, renderedFiles } from '../helpers';
import * as fs from 'node:fs';
import * as path from 'node:path';

const example = () => renderExample();
const variant = (edit: Parameters<typeof exampleVariant>[0]) => renderedFiles(exampleVariant(edit, 'example'));
const summary = (tree: RenderedTree, after: RenderedTree) => leftBehind(tree, after).map((l) => `${l.resource}: ${l.command}`);

/** One object as a rendered file. */
function file(kind: string, name: string, extra = ''): string {
  return `apiVersion: ${kind === 'Deployment' ? 'apps/v1' : 'batch/v1'}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: mastodon\n${extra}`;
}

describe('diff: what a change leaves behind in the cluster (argo-cd v3.5.1, dragonfly-operator v1.6.1)', () => {
  test('GIVEN a change that removes nothing THEN nothing is left behind', () => {
    expect(leftBehind(example(), variant({ instance: (t) => replaceOnce(t, 'logLevel: warn', 'logLevel: info') }))).toEqual([]);
  });

  test('GIVEN the whole instance removed THEN the hand-applied root, the operators (no resources finalizer, ingress-nginx\'s load balancer), the confirmation the data Application needs and the Dragonfly volumes are named', () => {
    const items = leftBehind(example(), new Map());
    expect(items.map((l) => `${l.resource}: ${l.command}`)).toEqual(expect.arrayContaining([
      'Application argocd/example-root: kubectl -n argocd delete application example-root',
      'Application argocd/cert-manager: kubectl get all -n cert-manager',
      'Application argocd/dragonfly-operator: kubectl get all -n dragonfly-operator-system',
      'Application argocd/ingress-nginx: kubectl get all -n ingress-nginx',
      // The data Application is Prune=confirm,Delete=confirm; so are its Dragonflies.
      'Application argocd/example-data: argocd app confirm-deletion example-root',
      'Dragonfly mastodon/dragonfly-mastodon: argocd app confirm-deletion example-data',
      'Dragonfly mastodon/dragonfly-mastodon: kubectl -n mastodon delete pvc -l app=dragonfly-mastodon,app.kubernetes.io/name=dragonfly',
      'Dragonfly mastodon/dragonfly-sidekiq: kubectl -n mastodon delete pvc -l app=dragonfly-sidekiq,app.kubernetes.io/name=dragonfly',
    ]));
    expect(items.find((l) => l.resource === 'Application argocd/ingress-nginx')?.what).toContain('its LoadBalancer Service keeps the cloud load balancer');
    expect(items.find((l) => l.command.includes('delete pvc -l app=dragonfly-mastodon'))?.what).toContain('PersistentVolumeClaims df-dragonfly-mastodon-0…1');
    // The hooks go with their Application's cascading deletion: not listed.
    expect(items.filter((l) => l.resource.startsWith('Job '))).toEqual([]);
  });

  test('GIVEN the Sidekiq role moved to managed Valkey THEN its Dragonfly waits for a confirmed prune, and its volumes stay', () => {
    expect(summary(example(), variant({ instance: sidekiqOnValkey }))).toEqual([
      'Dragonfly mastodon/dragonfly-sidekiq: argocd app confirm-deletion example-data',
      'Dragonfly mastodon/dragonfly-sidekiq: kubectl -n mastodon delete pvc -l app=dragonfly-sidekiq,app.kubernetes.io/name=dragonfly',
    ]);
  });

  test('GIVEN a hook, a Prune=false object and a Delete=false object of a deleted Application THEN each is named with its kubectl delete', () => {
    const before: RenderedTree = new Map([
      ['x/mastodon/Job.old-hook.yaml', file('Job', 'old-hook', '  annotations:\n    argocd.argoproj.io/hook: PreSync\n')],
      ['x/mastodon/Job.kept.yaml', file('Job', 'kept', '  annotations:\n    argocd.argoproj.io/sync-options: Prune=false\n')],
      ['x/mastodon/Job.plain.yaml', file('Job', 'plain')],
      ['x/gone/Job.stays.yaml', file('Job', 'stays', '  annotations:\n    argocd.argoproj.io/sync-options: Delete=false\n')],
      ['x/argocd/Application.x-mastodon.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: x-mastodon\n  namespace: argocd\n  finalizers: [resources-finalizer.argocd.argoproj.io]\n'],
      ['x/argocd/Application.x-gone.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: x-gone\n  namespace: argocd\n  finalizers: [resources-finalizer.argocd.argoproj.io]\n'],
      ['x/bootstrap/Application.x-root.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: x-root\n  namespace: argocd\n'],
    ]);
    const after: RenderedTree = new Map([...before].filter(([f]) => f.includes('Application.x-mastodon') || f.includes('x-root')));
    const items = leftBehind(before, after);
    expect(items.map((l) => `${l.resource}: ${l.what}: ${l.command}`)).toEqual([
      'Job mastodon/old-hook: an Argo CD hook: hooks are never pruned: kubectl -n mastodon delete job old-hook',
      'Job mastodon/kept: Prune=false: Argo CD leaves it running (the Application shows it as out of sync): kubectl -n mastodon delete job kept',
      'Job mastodon/stays: Delete=false: it stays when its Application x-gone is deleted: kubectl -n mastodon delete job stays',
    ]);
  });

  test('GIVEN a Sidekiq pool removed with a queue no other pool consumes THEN the queue is named; GIVEN its queues moved to another pool THEN nothing', () => {
    const pool = (name: string, queues: string[]) => file('Deployment', `sidekiq-${name}`, `  labels:\n    app.kubernetes.io/instance: x\n    mastodon-cdk8s.io/sidekiq-pool: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: sidekiq\n          args: [-c, "5", ${queues.map((q) => `-q, "${q},1"`).join(', ')}]\n`);
    const before: RenderedTree = new Map([
      ['x/mastodon/Deployment.sidekiq-default.yaml', pool('default', ['default', 'push'])],
      ['x/mastodon/Deployment.sidekiq-reports.yaml', pool('reports', ['my_reports', 'pull'])],
    ]);
    const dropped = leftBehind(before, new Map([['x/mastodon/Deployment.sidekiq-default.yaml', pool('default', ['default', 'push', 'pull'])]]));
    expect(dropped.map((l) => l.what)).toEqual(['Argo CD deletes it, and no pool consumes "my_reports" any more: jobs waiting there (and those its pods push back when they stop) stay in Redis unprocessed']);
    expect(dropped[0].command).toBe('kubectl -n mastodon exec deploy/web -- bin/rails runner \'puts Sidekiq::Queue.new("my_reports").size\'');
    const moved = leftBehind(before, new Map([['x/mastodon/Deployment.sidekiq-default.yaml', pool('default', ['default', 'push', 'pull', 'my_reports'])]]));
    expect(moved).toEqual([]);
  });

  test('GIVEN a Sidekiq pool renamed THEN the diff says Argo CD deletes the old Deployment, and nothing is left behind (its queues are consumed by the new one)', () => {
    const before = example();
    const after = variant({ queuePlan: (t) => replaceOnce(t, '  default: # → Deployment sidekiq-default\n', '  main:\n') });
    const diff = compareTrees(before, after);
    expect(textReport(diff)).toContain('> Deployment mastodon/sidekiq-default renamed to sidekiq-main (example/mastodon/Deployment.sidekiq-main.yaml): Argo CD deletes the old Deployment and creates the new one (the old pods stop when it is pruned; the new ones start from scratch)');
    expect(leftBehind(before, after)).toEqual([]);
  });

  test('THEN the text and Markdown sections list each with its command (none when empty)', () => {
    const items = leftBehind(example(), variant({ instance: sidekiqOnValkey }));
    expect(leftBehindText([])).toBe('');
    expect(leftBehindMarkdown([])).toEqual([]);
    expect(leftBehindText(items)).toContain('Left behind in the cluster (2):\n! Dragonfly mastodon/dragonfly-sidekiq  (example/data/Dragonfly.dragonfly-sidekiq.yaml): ');
    expect(leftBehindMarkdown(items).join('\n')).toContain('- `Dragonfly mastodon/dragonfly-sidekiq` in `example/data/Dragonfly.dragonfly-sidekiq.yaml`: Prune=confirm: the sync of example-data waits until the pruning is confirmed: `argocd app confirm-deletion example-data`');
  });

  test('GIVEN an instance folder removed WHEN mastodon-cdk8s diff runs THEN the report ends with what stays in the cluster', async () => {
    const root = tempDir();
    const cwd = process.cwd();
    fs.mkdirSync(path.join(root, 'config'));
    fs.cpSync(EXAMPLE_DIR, path.join(root, 'config', 'first'), { recursive: true });
    fs.cpSync(GATEWAY_EXAMPLE_DIR, path.join(root, 'config', 'second'), { recursive: true });
    process.chdir(root);
    try {
      expect((await runCli(['synth'])).code).toBe(0);
      fs.rmSync(path.join(root, 'config', 'second'), { recursive: true });
      const text = await runCli(['diff']);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('Left behind in the cluster (');
      expect(text.stdout).toContain('! Application argocd/second-root  (second/bootstrap/Application.second-root.yaml): applied by hand (bootstrap), so nothing in Git deletes it\n    kubectl -n argocd delete application second-root');
      const markdown = await runCli(['diff', '--markdown', '--max-chars', '3000']);
      expect(markdown.stdout).toContain('#### ⚠️ Left behind in the cluster');
    } finally {
      process.chdir(cwd);
    }
  }, 120_000);
});
