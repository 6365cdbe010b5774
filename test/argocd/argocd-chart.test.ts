import { ApiObject, App, Chart } from 'cdk8s';
import { ArgoCdChart } from '../../charts/argocd-chart';
import { loadInstance } from '../../lib/config/load';
import { renderInstance } from '../../lib/render/render';
import { CrdValidator } from '../crds';
import { HAS_SHARED } from '../shared';
import { exampleVariant, loadExample, objects, objectAt, renderExample, replaceOnce } from '../helpers';

const ARGO = 'example/argocd';
const WAVE = 'argocd.argoproj.io/sync-wave';

/** The rendered Argo CD objects of a tree, by file. */
function argoObjects(tree: Map<string, string>): Map<string, any> {
  return new Map([...objects(tree)].filter(([file]) => file.includes('/argocd/')));
}

describe('Argo CD objects of config/example', () => {
  // GIVEN the example instance WHEN rendered
  const tree = renderExample();
  const root = objectAt(tree, `${ARGO}/Application.example-root.yaml`);
  const mastodon = objectAt(tree, `${ARGO}/Application.example-mastodon.yaml`);
  const certManager = objectAt(tree, `${ARGO}/Application.cert-manager.yaml`);
  const dragonfly = objectAt(tree, `${ARGO}/Application.dragonfly-operator.yaml`);
  const project = objectAt(tree, `${ARGO}/AppProject.example.yaml`);

  test('THEN the argocd chart holds the project, the root, one child per chart and the operators, in Argo CD\'s namespace', () => {
    expect([...argoObjects(tree).keys()].sort()).toEqual([
      `${ARGO}/AppProject.example.yaml`,
      `${ARGO}/Application.cert-manager.yaml`,
      `${ARGO}/Application.dragonfly-operator.yaml`,
      `${ARGO}/Application.example-cluster.yaml`,
      `${ARGO}/Application.example-data.yaml`,
      `${ARGO}/Application.example-edge.yaml`,
      `${ARGO}/Application.example-mastodon.yaml`,
      `${ARGO}/Application.example-operations.yaml`,
      `${ARGO}/Application.example-root.yaml`,
      `${ARGO}/Application.ingress-nginx.yaml`,
    ]);
    for (const o of argoObjects(tree).values()) expect(o.metadata.namespace).toBe('argocd');
  });

  test('THEN the root syncs its own folder of the configured repository, and each child its chart folder', () => {
    expect(root.spec.source).toEqual({ repoURL: 'https://github.com/example/mastodon-gitops.git', targetRevision: 'main', path: 'dist/example/argocd', directory: { include: '*.yaml' } });
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    expect(mastodon.spec.source.path).toBe('dist/example/mastodon');
    expect(mastodon.spec.destination.namespace).toBe('mastodon');
  });

  test('THEN every Application syncs automatically with prune, self-heal, PruneLast and retries', () => {
    for (const app of [root, mastodon, certManager, dragonfly]) {
      expect(app.spec.project).toBe('example');
      expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(app.spec.syncPolicy.syncOptions).toContain('PruneLast=true');
      expect(app.spec.syncPolicy.retry.limit).toBeGreaterThan(0);
    }
    expect(mastodon.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'PruneLast=true']);
  });

  test('THEN waves order the project, the operators, issuers and Dragonflies, Mastodon, then the edge', () => {
    const wave = (o: any) => Number(o.metadata.annotations[WAVE]);
    const child = (chart: string) => objectAt(tree, `${ARGO}/Application.example-${chart}.yaml`);
    expect(wave(project)).toBeLessThan(wave(certManager));
    expect(wave(certManager)).toBe(wave(dragonfly));
    expect(wave(dragonfly)).toBeLessThan(wave(child('cluster')));
    expect(wave(child('cluster'))).toBe(wave(child('data')));
    expect(wave(child('data'))).toBeLessThan(wave(mastodon));
    expect(wave(mastodon)).toBeLessThan(wave(child('edge')));
  });

  test('THEN operators come from their pinned upstream charts, and deleting them never cascades', () => {
    expect(certManager.spec.source).toMatchObject({ repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', targetRevision: 'v1.21.1' });
    expect(certManager.spec.source.helm.valuesObject.crds).toEqual({ enabled: true, keep: true });
    expect(dragonfly.spec.source).toMatchObject({ repoURL: 'oci://ghcr.io/dragonflydb/dragonfly-operator/helm/dragonfly-operator', path: '.', targetRevision: 'v1.6.1' });
    expect(dragonfly.spec.destination.namespace).toBe('dragonfly-operator-system');
    for (const app of [certManager, dragonfly]) {
      expect(app.metadata.finalizers).toBeUndefined();
      expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    }
    expect(mastodon.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  test('THEN the project allows exactly the repositories, namespaces and cluster-scoped kinds in use', () => {
    expect(project.spec.sourceRepos).toEqual(['https://charts.jetstack.io', 'https://github.com/example/mastodon-gitops.git', 'https://kubernetes.github.io/ingress-nginx', 'oci://ghcr.io/dragonflydb/dragonfly-operator/helm/dragonfly-operator']);
    expect(project.spec.destinations.map((d: any) => d.namespace)).toEqual(['argocd', 'cert-manager', 'dragonfly-operator-system', 'ingress-nginx', 'mastodon']);
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: '', kind: 'Namespace' });
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' });
  });

  (HAS_SHARED ? test : test.skip)('THEN every Application and AppProject is valid against the pinned Argo CD CRDs', () => {
    const crds = new CrdValidator();
    for (const [file, o] of argoObjects(tree)) expect({ file, errors: crds.errors(o) }).toEqual({ file, errors: [] });
  });
});

describe('Argo CD settings and operator choices', () => {
  test('GIVEN an instance without backups WHEN rendered THEN no Application points at the operations folder it does not have', () => {
    const tree = renderInstance(loadInstance(exampleVariant({ instance: (t) => t.slice(0, t.indexOf('\n# Backups as vmst.io')) + '\n' }))).files;
    expect([...tree.keys()].some((f) => f.startsWith('variant/operations/'))).toBe(false);
    expect(tree.has('variant/argocd/Application.variant-operations.yaml')).toBe(false);
  });

  test('GIVEN another namespace, project and path WHEN rendered THEN the objects follow them', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  targetRevision: main\n', '  targetRevision: v1\n  namespace: gitops\n  project: social\n  path: deploy/dist\n  server: https://k8s.example.net:6443\n') });
    const tree = renderInstance(loadInstance(dir)).files;
    const root = objectAt(tree, 'variant/argocd/Application.variant-root.yaml');
    expect(root.metadata.namespace).toBe('gitops');
    expect(root.spec).toMatchObject({ project: 'social', source: { path: 'deploy/dist/variant/argocd', targetRevision: 'v1' }, destination: { server: 'https://k8s.example.net:6443', namespace: 'gitops' } });
    expect(objectAt(tree, 'variant/argocd/AppProject.social.yaml').spec.destinations).toContainEqual({ server: 'https://k8s.example.net:6443', namespace: 'mastodon' });
  });

  test('GIVEN a named cluster WHEN rendered THEN the cluster-wide operator Applications carry its name, the instance\'s do not', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  targetRevision: main\n', '  targetRevision: main\n  cluster: blue\n') });
    const names = [...argoObjects(renderInstance(loadInstance(dir)).files).values()].filter((o) => o.kind === 'Application').map((o) => o.metadata.name).sort();
    expect(names).toEqual(['cert-manager-blue', 'dragonfly-operator-blue', 'ingress-nginx-blue', 'variant-cluster', 'variant-data', 'variant-edge', 'variant-mastodon', 'variant-operations', 'variant-root']);
  });

  test('GIVEN operators: none WHEN rendered THEN no operator Application and the project allows no chart repository', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  # operators: auto', '  operators: none #') });
    const tree = renderInstance(loadInstance(dir)).files;
    expect([...argoObjects(tree).keys()].sort()).toEqual([
      'variant/argocd/AppProject.variant.yaml',
      ...['cluster', 'data', 'edge', 'mastodon', 'operations', 'root'].map((child) => `variant/argocd/Application.variant-${child}.yaml`),
    ]);
    const project = objectAt(tree, 'variant/argocd/AppProject.variant.yaml');
    expect(project.spec.sourceRepos).toEqual(['https://github.com/example/mastodon-gitops.git']);
    // The instance's own cluster-scoped objects (ClusterIssuers) stay allowed.
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }, { group: 'cert-manager.io', kind: 'ClusterIssuer' }]);
  });

  test('GIVEN an explicit operator list WHEN rendered THEN exactly those are installed, KEDA reaching into kube-system', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  # operators: auto', '  operators: [keda, ingress-nginx] #') });
    const tree = renderInstance(loadInstance(dir)).files;
    const names = [...argoObjects(tree).values()].filter((o) => o.kind === 'Application').map((o) => o.metadata.name).sort();
    expect(names).toEqual(['ingress-nginx', 'keda', 'variant-cluster', 'variant-data', 'variant-edge', 'variant-mastodon', 'variant-operations', 'variant-root']);
    expect(objectAt(tree, 'variant/argocd/Application.ingress-nginx.yaml').spec.source).toMatchObject({ chart: 'ingress-nginx', targetRevision: '4.15.1' });
    expect(objectAt(tree, 'variant/argocd/Application.keda.yaml').spec.source).toMatchObject({ chart: 'keda', targetRevision: '2.20.2' });
    expect(objectAt(tree, 'variant/argocd/AppProject.variant.yaml').spec.destinations.map((d: any) => d.namespace)).toEqual(['argocd', 'ingress-nginx', 'keda', 'kube-system', 'mastodon']);
  });

  test('GIVEN a bad operator name WHEN loaded THEN the allowed values are listed', () => {
    const listed = exampleVariant({ instance: (t) => replaceOnce(t, '  # operators: auto', '  operators: [traefik] #') });
    expect(() => loadInstance(listed)).toThrow(/^[^\n]*instance\.yaml:92:15: argocd\.operators\[0\]: "traefik" is not allowed; allowed: "cert-manager", "dragonfly-operator", "ingress-nginx", "keda"$/);
    const word = exampleVariant({ instance: (t) => replaceOnce(t, '  # operators: auto', '  operators: all #') });
    expect(() => loadInstance(word)).toThrow(/^[^\n]*instance\.yaml:92:14: argocd\.operators: "all" is not allowed; allowed: auto, none, or a list of cert-manager, dragonfly-operator, ingress-nginx, keda$/);
  });

  test('GIVEN a repoURL that is no Git URL WHEN loaded THEN the message says what is allowed', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'repoURL: https://github.com/example/mastodon-gitops.git', 'repoURL: github.com/example') });
    expect(() => loadInstance(dir)).toThrow(/instance\.yaml:\d+:\d+: argocd\.repoURL: "github\.com\/example" is not allowed; allowed: a Git URL/);
  });
});

describe('ArgoCdChart with other charts', () => {
  const loaded = loadExample();

  test('GIVEN a chart with a cluster-scoped object WHEN built THEN the project allows that kind', () => {
    const app = new App();
    const cluster = new Chart(app, 'cluster', { disableResourceNameHashes: true });
    new ApiObject(cluster, 'Issuer', { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt' } });
    const argocd = new ArgoCdChart(app, 'argocd', { loaded, charts: [cluster] });
    const project = argocd.project.project.toJson();
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer' });
    expect(argocd.children.map((c) => c.name)).toEqual(['example-cluster']);
  });

  test('GIVEN a chart with no sync wave WHEN built THEN the error names the table to extend', () => {
    const app = new App();
    const chart = new Chart(app, 'extras');
    expect(() => new ArgoCdChart(app, 'argocd', { loaded, charts: [chart] })).toThrow('chart "extras" has no sync wave: add it to CHART_WAVES in lib/argocd/waves.ts');
  });
});
