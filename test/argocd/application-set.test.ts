import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultSchemaCacheDir } from '../../lib/validate/schema-cache';
import { validateTree } from '../../lib/validate/validate';
import { configRoot, exampleAs, problemsIn, renderRoot } from '../clusters/fixture';
import { listTree, objectAt, REPO, replaceOnce, runCli, tempDir } from '../helpers';

/**
 * One ApplicationSet per Argo CD (issue 17, item 6): its list generator creates the root of every
 * instance with argocd.applicationSet. Read at argoproj/argo-cd@v3.5.1:
 * - RollingSync is Beta since v3.3.0 and off unless enabled
 *   (docs/operator-manual/applicationset/Progressive-Syncs.md:3-4, 19-25); it disables the
 *   generated Applications' automated sync (:65; applicationset/progressivesync/progressive_sync.go:734-755
 *   sets `automated.enabled: false`) and syncs each step once the one before is Healthy (:53-66);
 * - `applicationsSync: create-update` never deletes a generated Application, and on the
 *   ApplicationSet's deletion the controller removes its owner references from them instead
 *   (applicationset/controllers/applicationset_controller.go:150-158; pkg/apis/application/v1alpha1/applicationset_types.go:112-134);
 * - `preserveResourcesOnDeletion: true` adds no resources finalizer to generated Applications (applicationset/utils/utils.go:294-302).
 * test/contracts/argocd-applicationset.test.ts models these rules and holds the rendered set to them.
 */

const SET = '_argocd/argocd/argocd/ApplicationSet.mastodon-instances.yaml';
const member = (group?: string) => (text: string) => replaceOnce(text, '  targetRevision: main\n', `  targetRevision: main\n  applicationSet: ${group ? `{ rolloutGroup: ${group} }` : '{}'}\n`);

/** What Argo CD's Go template makes of the template for one element (plain `{{.key}}` substitution). */
function generated(set: any, element: Record<string, string>): any {
  const text = JSON.stringify(set.spec.template).replace(/\{\{\.(\w+)\}\}/g, (_, key: string) => element[key]);
  return JSON.parse(text);
}

describe('the ApplicationSet of an Argo CD', () => {
  const root = configRoot({
    'zeta/instance.yaml': exampleAs('zeta', member()),
    'alpha/instance.yaml': exampleAs('alpha', (t) => member()(replaceOnce(t, '  targetRevision: main\n', '  targetRevision: main\n  operators: none\n'))),
    'solo/instance.yaml': exampleAs('solo', (t) => replaceOnce(t, '  targetRevision: main\n', '  targetRevision: main\n  operators: none\n')),
  });
  const { files } = renderRoot(root);
  const set = objectAt(files, SET);

  test('GIVEN members THEN one list element per member, sorted by id; an instance without argocd.applicationSet is left to its hand bootstrap', () => {
    expect(set.spec.generators).toEqual([{ list: { elements: [{ id: 'alpha', rolloutGroup: 'main' }, { id: 'zeta', rolloutGroup: 'main' }] } }]);
    expect(files.has('solo/bootstrap/Application.solo-root.yaml')).toBe(true);
  });

  test('GIVEN an element THEN the generated root is the root its bootstrap/ folder holds, in the ApplicationSet\'s project (which exists before any instance\'s)', () => {
    for (const id of ['alpha', 'zeta']) {
      const own = objectAt(files, `${id}/bootstrap/Application.${id}-root.yaml`);
      const made = generated(set, { id, rolloutGroup: 'main' });
      // The controller sets apiVersion, kind and namespace (the ApplicationSet's) on what it creates.
      expect({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...made, metadata: { ...made.metadata, namespace: set.metadata.namespace } }).toEqual({ ...own, spec: { ...own.spec, project: 'mastodon-instances' } });
      expect(own.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    }
  });

  test('GIVEN the set THEN removing an instance or the set deletes no root (create-update, preserveResourcesOnDeletion) and there is no RollingSync without a rollout group', () => {
    expect(set.spec.syncPolicy).toEqual({ applicationsSync: 'create-update', preserveResourcesOnDeletion: true });
    expect(set.spec.strategy).toBeUndefined();
    expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
  });

  test('GIVEN the set THEN its project allows the roots\' Applications and AppProjects in Argo CD\'s namespace only, and its root syncs dist/_argocd/argocd/argocd/', () => {
    const project = objectAt(files, '_argocd/argocd/argocd/AppProject.mastodon-instances.yaml').spec;
    expect(project).toMatchObject({ clusterResourceWhitelist: [], destinations: [{ namespace: 'argocd', server: 'https://kubernetes.default.svc' }], sourceRepos: ['https://github.com/example/mastodon-gitops.git'] });
    expect(project.namespaceResourceWhitelist.map((k: any) => k.kind)).toEqual(['AppProject', 'Application', 'ApplicationSet']);
    const setRoot = objectAt(files, '_argocd/argocd/bootstrap/Application.mastodon-instances-root.yaml');
    expect(setRoot.spec).toMatchObject({ project: 'mastodon-instances', source: { path: 'dist/_argocd/argocd/argocd' } });
    expect(files.get('_argocd/APPLICATIONSETS.md')).toContain('kubectl apply -n argocd -f dist/_argocd/argocd/argocd/AppProject.mastodon-instances.yaml');
  });

  (fs.existsSync(path.join(REPO, '..', 'shared', 'crds', 'argo-cd', 'applicationset-crd.yaml')) ? test : test.skip)('GIVEN the rendered objects THEN they pass the pinned Application, AppProject and ApplicationSet CRDs (../shared/crds, as `npm run import` fetches them)', () => {
    const dist = path.join(tempDir(), 'dist');
    for (const [file, text] of files) {
      fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
      fs.writeFileSync(path.join(dist, file), text);
    }
    const result = validateTree({ dist: path.join(dist, '_argocd'), crdDir: path.join(REPO, '..', 'shared', 'crds'), schemaCacheDir: defaultSchemaCacheDir() });
    expect(result.problems).toEqual([]);
    expect(result.objects).toBe(3);
  });
});

describe('progressive syncs', () => {
  test('GIVEN rollout groups THEN RollingSync steps canary, early, main in that order, for the groups in use, selecting the roots by their label', () => {
    const root = configRoot({
      'a/instance.yaml': exampleAs('a', member('main')),
      'b/instance.yaml': exampleAs('b', (t) => member('canary')(replaceOnce(t, '  targetRevision: main\n', '  targetRevision: main\n  operators: none\n'))),
      'c/instance.yaml': exampleAs('c', (t) => member()(replaceOnce(t, '  targetRevision: main\n', '  targetRevision: main\n  operators: none\n'))),
    });
    const { files } = renderRoot(root);
    const set = objectAt(files, SET);
    expect(set.spec.strategy).toEqual({
      type: 'RollingSync',
      rollingSync: { steps: [
        { matchExpressions: [{ key: 'mastodon-cdk8s.io/rollout-group', operator: 'In', values: ['canary'] }], maxUpdate: '100%' },
        { matchExpressions: [{ key: 'mastodon-cdk8s.io/rollout-group', operator: 'In', values: ['main'] }], maxUpdate: '25%' },
      ] },
    });
    expect(objectAt(files, 'b/bootstrap/Application.b-root.yaml').metadata.labels['mastodon-cdk8s.io/rollout-group']).toBe('canary');
    expect(generated(set, { id: 'b', rolloutGroup: 'canary' }).metadata.labels['mastodon-cdk8s.io/rollout-group']).toBe('canary');
    // What RollingSync changes on the generated root: its automated sync is turned off and the
    // controller syncs it step by step (progressive_sync.go:738-743 sets automated.enabled: false).
    const own = objectAt(files, 'b/bootstrap/Application.b-root.yaml');
    const made = generated(set, { id: 'b', rolloutGroup: 'canary' });
    made.spec.syncPolicy.automated.enabled = false;
    expect(made.spec).toEqual({ ...own.spec, project: 'mastodon-instances', syncPolicy: { ...own.spec.syncPolicy, automated: { ...own.spec.syncPolicy.automated, enabled: false } } });
  });

  test('GIVEN members reading another revision THEN the difference is refused at the config line (one template for all)', () => {
    const root = configRoot({
      'a/instance.yaml': exampleAs('a', member()),
      'b/instance.yaml': exampleAs('b', (t) => replaceOnce(t, '  targetRevision: main\n', '  targetRevision: release\n  operators: none\n  applicationSet: {}\n')),
    });
    expect(problemsIn(root)).toEqual(['config/b/instance.yaml:L:19: argocd.targetRevision: "release" differs from "main" of instance a, whose root the same ApplicationSet generates from one template; allowed: the same argocd.repoURL, targetRevision and path for every instance with argocd.applicationSet in Argo CD namespace argocd']);
  });
});

describe('synth and dist/_argocd/', () => {
  test('GIVEN members WHEN synth runs with --config THEN dist/_argocd/ is left as it is (its elements are every instance); a full synth writes it', async () => {
    const root = configRoot({ 'a/instance.yaml': exampleAs('a', member()) });
    const out = path.join(tempDir(), 'dist');
    expect((await runCli(['synth', '--config', path.join(root, 'a'), '--out', out])).code).toBe(0);
    expect(fs.existsSync(path.join(out, '_argocd'))).toBe(false);
    const cwd = process.cwd();
    try {
      process.chdir(path.dirname(root));
      expect((await runCli(['synth', '--out', out])).code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(Object.keys(listTree(path.join(out, '_argocd'))).sort()).toEqual(['APPLICATIONSETS.md', 'argocd/argocd/AppProject.mastodon-instances.yaml', 'argocd/argocd/ApplicationSet.mastodon-instances.yaml', 'argocd/bootstrap/Application.mastodon-instances-root.yaml']);
  });
});
