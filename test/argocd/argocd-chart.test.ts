import { ApiObject, App, Chart } from 'cdk8s';
import { ArgoCdChart } from '../../lib/charts/argocd-chart';
import { loadInstance } from '../../lib/app/load';
import { buildModel } from '../../lib/model/build';
import { CrdValidator } from '../crds';
import { testWithShared } from '../shared';
import { parse } from 'yaml';
import { APPLICATION_HEALTH_LUA } from '../../lib/catalog/argocd-health-checks';
import { exampleVariant, renderProblemsOf, loadExample, objects, objectAt, renderExample, replaceOnce, GATEWAY_EXAMPLE_DIR, renderedFiles } from '../helpers';

const ARGO = 'example/argocd';
const WAVE = 'argocd.argoproj.io/sync-wave';

/** The rendered Argo CD objects of a tree, by file. */
function argoObjects(tree: Map<string, string>): Map<string, any> {
  return new Map([...objects(tree)].filter(([file]) => file.includes('/argocd/')));
}

const BOOT = 'example/bootstrap';
const CONFIRM = 'Prune=confirm,Delete=confirm';
/** Kinds no instance project may create: they grant cluster-wide power. */
const ADMIN_KINDS = ['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService'];

/** The group of an apiVersion as AppProjects name it (`''` for the core group). */
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

describe('Argo CD objects of config/example', () => {
  // GIVEN the example instance WHEN rendered
  const tree = renderExample();
  const root = objectAt(tree, `${BOOT}/Application.example-root.yaml`);
  const mastodon = objectAt(tree, `${ARGO}/Application.example-mastodon.yaml`);
  const certManager = objectAt(tree, `${ARGO}/Application.cert-manager.yaml`);
  const dragonfly = objectAt(tree, `${ARGO}/Application.dragonfly-operator.yaml`);
  const platform = objectAt(tree, `${ARGO}/AppProject.example-platform.yaml`);
  const project = objectAt(tree, `${ARGO}/AppProject.example.yaml`);
  const child = (chart: string) => objectAt(tree, `${ARGO}/Application.example-${chart}.yaml`);

  test('THEN the argocd folder holds both projects, one child per chart and the operators; the root is in bootstrap/, outside the folder it syncs', () => {
    expect([...argoObjects(tree).keys()].sort()).toEqual([
      `${ARGO}/AppProject.example-platform.yaml`,
      `${ARGO}/AppProject.example.yaml`,
      `${ARGO}/Application.cert-manager.yaml`,
      `${ARGO}/Application.dragonfly-operator.yaml`,
      `${ARGO}/Application.example-cluster.yaml`,
      `${ARGO}/Application.example-data.yaml`,
      `${ARGO}/Application.example-edge.yaml`,
      `${ARGO}/Application.example-mastodon.yaml`,
      `${ARGO}/Application.example-operations.yaml`,
      `${ARGO}/Application.example-search.yaml`,
      `${ARGO}/Application.ingress-nginx.yaml`,
    ]);
    expect([...tree.keys()].filter((f) => f.startsWith(`${BOOT}/`)).sort()).toEqual([`${BOOT}/Application.example-root.yaml`, `${BOOT}/argocd-cm.patch`]);
    for (const o of [...argoObjects(tree).values(), root]) expect(o.metadata.namespace).toBe('argocd');
  });

  test('THEN the root syncs the argocd folder into Argo CD\'s own cluster and namespace, and each child its chart folder', () => {
    expect(root.spec.source).toEqual({ repoURL: 'https://github.com/example/mastodon-gitops.git', targetRevision: 'main', path: 'dist/example/argocd', directory: { include: '*.yaml' } });
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    expect(root.spec.project).toBe('example-platform');
    expect(mastodon.spec.source.path).toBe('dist/example/mastodon');
    expect(mastodon.spec.destination.namespace).toBe('mastodon');
  });

  test('THEN every Application syncs automatically with prune, self-heal, PruneLast and retries that pick up a new commit', () => {
    for (const app of [root, mastodon, certManager, dragonfly]) {
      expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(app.spec.syncPolicy.syncOptions).toContain('PruneLast=true');
      expect(app.spec.syncPolicy.retry).toEqual({ limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' }, refresh: true });
    }
    expect(mastodon.spec.project).toBe('example');
    expect([certManager, dragonfly, child('cluster')].map((a) => a.spec.project)).toEqual(['example-platform', 'example-platform', 'example-platform']);
  });

  test('THEN a child whose kinds come from an operator\'s CRD skips the dry run while that CRD is missing; the others do not', () => {
    const skips = (chart: string) => child(chart).spec.syncPolicy.syncOptions.includes('SkipDryRunOnMissingResource=true');
    // mastodon: its PodMonitors (monitoring.coreos.com, installed by the cluster's Prometheus stack).
    expect(['cluster', 'data', 'edge', 'mastodon', 'operations', 'search'].filter(skips)).toEqual(['cluster', 'data', 'mastodon']);
    expect(child('operations').spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'PruneLast=true']);
  });

  test('THEN the Application of the data chart, like each Dragonfly, is pruned or deleted only once confirmed', () => {
    expect(child('data').metadata.annotations['argocd.argoproj.io/sync-options']).toBe(CONFIRM);
    for (const [file, o] of objects(tree)) if (o.kind === 'Dragonfly') expect({ file, options: o.metadata.annotations['argocd.argoproj.io/sync-options'] }).toEqual({ file, options: CONFIRM });
    expect(mastodon.metadata.annotations['argocd.argoproj.io/sync-options']).toBeUndefined();
  });

  test('THEN the search Application keeps the live spec of its Job (ignored, and respected during the sync)', () => {
    expect(child('search').spec.ignoreDifferences).toEqual([{ group: 'batch', kind: 'Job', name: 'search-deploy-1', namespace: 'mastodon', jsonPointers: ['/spec'] }]);
    expect(child('search').spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    expect(mastodon.spec.ignoreDifferences).toBeUndefined();
  });

  test('THEN waves order the projects, the operators, issuers and Dragonflies, Mastodon, then the edge and search', () => {
    const wave = (o: any) => Number(o.metadata.annotations[WAVE]);
    expect(wave(project)).toBe(wave(platform));
    expect(wave(project)).toBeLessThan(wave(certManager));
    expect(wave(certManager)).toBe(wave(dragonfly));
    expect(wave(dragonfly)).toBeLessThan(wave(child('cluster')));
    expect(wave(child('cluster'))).toBe(wave(child('data')));
    expect(wave(child('data'))).toBeLessThan(wave(mastodon));
    expect(wave(mastodon)).toBeLessThan(wave(child('edge')));
    expect(wave(mastodon)).toBeLessThan(wave(child('search')));
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

  test('THEN the platform project allows the operators\' repositories and namespaces, Argo CD\'s namespace in-cluster, and the cluster-scoped kinds in use', () => {
    expect(platform.spec.sourceRepos).toEqual(['https://charts.jetstack.io', 'https://github.com/example/mastodon-gitops.git', 'https://kubernetes.github.io/ingress-nginx', 'oci://ghcr.io/dragonflydb/dragonfly-operator/helm/dragonfly-operator']);
    expect(platform.spec.destinations.map((d: any) => d.namespace)).toEqual(['argocd', 'cert-manager', 'dragonfly-operator-system', 'ingress-nginx', 'mastodon']);
    expect(platform.spec.clusterResourceWhitelist).toContainEqual({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' });
    expect(platform.spec.clusterResourceWhitelist).toContainEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer' });
  });

  test('THEN the instance project reads only this repository, deploys only into the instance namespace, and creates no cluster-wide power', () => {
    expect(project.spec.sourceRepos).toEqual(['https://github.com/example/mastodon-gitops.git']);
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'mastodon' }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    for (const kind of ADMIN_KINDS) expect(project.spec.namespaceResourceWhitelist.map((k: any) => k.kind)).not.toContain(kind);
  });

  test('THEN every object of every child folder is allowed by its Application\'s project, and the instance project allows exactly the kinds rendered', () => {
    const projects = new Map([platform, project].map((p) => [p.metadata.name, p]));
    const instanceKinds = new Set<string>();
    for (const app of [...argoObjects(tree).values()].filter((o) => o.kind === 'Application' && o.spec.source.path)) {
      const appProject = projects.get(app.spec.project);
      const folder = app.spec.source.path.replace(/^dist\//, '');
      for (const [file, o] of objects(tree)) {
        if (!file.startsWith(`${folder}/`)) continue;
        const gk = { group: groupOf(o.apiVersion), kind: o.kind };
        if (o.metadata.namespace === undefined) {
          expect({ file, allowed: appProject.spec.clusterResourceWhitelist }).toEqual({ file, allowed: expect.arrayContaining([gk]) });
        } else {
          expect({ file, namespace: appProject.spec.destinations.some((d: any) => d.namespace === o.metadata.namespace && d.server === app.spec.destination.server) }).toEqual({ file, namespace: true });
          if (appProject.spec.namespaceResourceWhitelist) expect({ file, allowed: appProject.spec.namespaceResourceWhitelist }).toEqual({ file, allowed: expect.arrayContaining([gk]) });
          if (appProject === project) instanceKinds.add(`${gk.group}/${gk.kind}`);
        }
      }
    }
    expect(project.spec.namespaceResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`)).toEqual([...instanceKinds].sort());
  });

  test('THEN the bootstrap patch adds the Application and Dragonfly health checks to argocd-cm, the Application one as upstream documents it', () => {
    const patch = parse(tree.get(`${BOOT}/argocd-cm.patch`)!);
    expect(Object.keys(patch)).toEqual(['data']);
    expect(Object.keys(patch.data)).toEqual(['resource.customizations.health.argoproj.io_Application', 'resource.customizations.health.dragonflydb.io_Dragonfly']);
    // argo-cd v3.5.1 docs/operator-manual/health.md:46-58.
    expect(patch.data['resource.customizations.health.argoproj.io_Application']).toBe(APPLICATION_HEALTH_LUA);
    expect(tree.get(`${BOOT}/argocd-cm.patch`)).toContain('kubectl -n argocd patch configmap argocd-cm --type merge --patch-file dist/<instance>/bootstrap/argocd-cm.patch');
  });

  testWithShared('THEN every Application and AppProject is valid against the pinned Argo CD CRDs', () => {
    const crds = new CrdValidator();
    for (const [file, o] of [...argoObjects(tree), [`${BOOT}/Application.example-root.yaml`, root] as const]) expect({ file, errors: crds.errors(o) }).toEqual({ file, errors: [] });
  });
});

describe('Argo CD objects of config/gateway-example (a remote DOKS cluster)', () => {
  // GIVEN the instance whose children run in a cluster registered in Argo CD WHEN rendered
  const tree = renderedFiles(GATEWAY_EXAMPLE_DIR);
  const remote = 'https://00000000-0000-0000-0000-000000000000.k8s.ondigitalocean.com';
  const apps = [...objects(tree).values()].filter((o) => o.kind === 'Application');

  test('THEN the root and every Application and AppProject live in Argo CD\'s cluster; only the children target the remote one', () => {
    const root = objectAt(tree, 'gateway-example/bootstrap/Application.gateway-example-root.yaml');
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    for (const app of apps.filter((a) => a !== root && a.metadata.name !== 'gateway-example-root')) expect({ app: app.metadata.name, server: app.spec.destination.server }).toEqual({ app: app.metadata.name, server: remote });
    expect(objectAt(tree, 'gateway-example/argocd/AppProject.gateway-example-platform.yaml').spec.destinations).toContainEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    expect(objectAt(tree, 'gateway-example/argocd/AppProject.gateway-example.yaml').spec.destinations).toEqual([{ server: remote, namespace: 'social' }]);
  });

  test('THEN the children rendering KEDA, Gateway API, Dragonfly or External Secrets kinds skip the dry run while their CRDs are missing', () => {
    const skips = apps.filter((a) => a.spec.syncPolicy.syncOptions.includes('SkipDryRunOnMissingResource=true')).map((a) => a.metadata.name).sort();
    expect(skips).toEqual(['gateway-example-cluster', 'gateway-example-data', 'gateway-example-edge', 'gateway-example-mastodon', 'gateway-example-platform-secrets', 'gateway-example-secrets']);
  });
});

describe('Argo CD settings and operator choices', () => {
  test('GIVEN an instance without backups or housekeeping WHEN rendered THEN no Application points at the operations folder it does not have', () => {
    const tree = renderedFiles(exampleVariant({ instance: (t) => t.slice(0, t.indexOf('\n# Backups as vmst.io')) + '\nmaintenance:\n  mediaRemove: { enabled: false }\n  previewCardsRemove: { enabled: false }\n' }));
    expect([...tree.keys()].some((f) => f.startsWith('variant/operations/'))).toBe(false);
    expect(tree.has('variant/argocd/Application.variant-operations.yaml')).toBe(false);
  });

  test('GIVEN another namespace, project and path WHEN rendered THEN the objects follow them', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  targetRevision: main\n', '  targetRevision: v1\n  namespace: gitops\n  project: social\n  path: deploy/dist\n  server: https://k8s.example.net:6443\n') });
    const tree = renderedFiles(dir);
    const root = objectAt(tree, 'variant/bootstrap/Application.variant-root.yaml');
    expect(root.metadata.namespace).toBe('gitops');
    // The root and the projects stay where Argo CD runs; only the children go to the remote cluster.
    expect(root.spec).toMatchObject({ project: 'variant-platform', source: { path: 'deploy/dist/variant/argocd', targetRevision: 'v1' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'gitops' } });
    expect(objectAt(tree, 'variant/argocd/Application.variant-mastodon.yaml').spec).toMatchObject({ project: 'social', destination: { server: 'https://k8s.example.net:6443', namespace: 'mastodon' } });
    expect(objectAt(tree, 'variant/argocd/AppProject.social.yaml').spec.destinations).toEqual([{ server: 'https://k8s.example.net:6443', namespace: 'mastodon' }]);
    expect(objectAt(tree, 'variant/argocd/AppProject.variant-platform.yaml').spec.destinations).toContainEqual({ server: 'https://kubernetes.default.svc', namespace: 'gitops' });
    for (const o of [...argoObjects(tree).values(), root]) expect(o.metadata.namespace).toBe('gitops');
  });

  test('GIVEN a named cluster WHEN rendered THEN the cluster-wide operator Applications carry its name, the instance\'s do not', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  targetRevision: main\n', '  targetRevision: main\n  cluster: blue\n') });
    const names = [...argoObjects(renderedFiles(dir)).values()].filter((o) => o.kind === 'Application').map((o) => o.metadata.name).sort();
    expect(names).toEqual(['cert-manager-blue', 'dragonfly-operator-blue', 'ingress-nginx-blue', 'variant-cluster', 'variant-data', 'variant-edge', 'variant-mastodon', 'variant-operations', 'variant-search']);
  });

  test('GIVEN operators: none WHEN rendered THEN no operator Application and the platform project allows no chart repository', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  # operators: auto', '  operators: none #') });
    const tree = renderedFiles(dir);
    expect([...argoObjects(tree).keys()].sort()).toEqual([
      'variant/argocd/AppProject.variant-platform.yaml',
      'variant/argocd/AppProject.variant.yaml',
      ...['cluster', 'data', 'edge', 'mastodon', 'operations', 'search'].map((child) => `variant/argocd/Application.variant-${child}.yaml`),
    ]);
    const platform = objectAt(tree, 'variant/argocd/AppProject.variant-platform.yaml');
    expect(platform.spec.sourceRepos).toEqual(['https://github.com/example/mastodon-gitops.git']);
    // The instance's own cluster-scoped objects (ClusterIssuers) stay allowed, to the platform project.
    expect(platform.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }, { group: 'cert-manager.io', kind: 'ClusterIssuer' }]);
  });

  test('GIVEN an explicit operator list WHEN rendered THEN exactly those are installed, KEDA reaching into kube-system', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  # operators: auto', '  operators: [keda, ingress-nginx] #') });
    const tree = renderedFiles(dir);
    const names = [...argoObjects(tree).values()].filter((o) => o.kind === 'Application').map((o) => o.metadata.name).sort();
    expect(names).toEqual(['ingress-nginx', 'keda', 'variant-cluster', 'variant-data', 'variant-edge', 'variant-mastodon', 'variant-operations', 'variant-search']);
    expect(objectAt(tree, 'variant/argocd/Application.ingress-nginx.yaml').spec.source).toMatchObject({ chart: 'ingress-nginx', targetRevision: '4.15.1' });
    expect(objectAt(tree, 'variant/argocd/Application.keda.yaml').spec.source).toMatchObject({ chart: 'keda', targetRevision: '2.20.2' });
    expect(objectAt(tree, 'variant/argocd/AppProject.variant-platform.yaml').spec.destinations.map((d: any) => d.namespace)).toEqual(['argocd', 'ingress-nginx', 'keda', 'kube-system', 'mastodon']);
  });

  test('GIVEN a bad operator name WHEN loaded THEN the allowed values are listed', () => {
    const listed = exampleVariant({ instance: (t) => replaceOnce(t, '  # operators: auto', '  operators: [traefik] #') });
    expect(() => loadInstance(listed)).toThrow(/^[^\n]*instance\.yaml:92:15: argocd\.operators\[0\]: "traefik" is not allowed; allowed: "cert-manager", "dragonfly-operator", "ingress-nginx", "keda", "external-secrets", "sealed-secrets"$/);
    const word = exampleVariant({ instance: (t) => replaceOnce(t, '  # operators: auto', '  operators: all #') });
    expect(() => loadInstance(word)).toThrow(/^[^\n]*instance\.yaml:92:14: argocd\.operators: "all" is not allowed; allowed: auto, none, or a list of cert-manager, dragonfly-operator, ingress-nginx, keda, external-secrets, sealed-secrets$/);
  });

  test('GIVEN a repoURL that is no Git URL WHEN loaded THEN the message says what is allowed', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'repoURL: https://github.com/example/mastodon-gitops.git', 'repoURL: github.com/example') });
    expect(() => loadInstance(dir)).toThrow(/instance\.yaml:\d+:\d+: argocd\.repoURL: "github\.com\/example" is not allowed; allowed: a Git URL/);
  });
});

describe('ArgoCdChart with other charts', () => {
  const model = buildModel(loadExample());

  test('GIVEN a cluster chart with a cluster-scoped object WHEN built THEN the platform project allows that kind, the instance project does not', () => {
    const app = new App();
    const cluster = new Chart(app, 'cluster', { disableResourceNameHashes: true });
    new ApiObject(cluster, 'Issuer', { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt' } });
    const argocd = new ArgoCdChart(app, 'argocd', { model, charts: [cluster] });
    expect(argocd.platformProject.project.toJson().spec.clusterResourceWhitelist).toContainEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer' });
    expect(argocd.instanceProject.project.toJson().spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    expect(argocd.children.map((c) => c.name)).toEqual(['example-cluster']);
  });

  test('GIVEN a chart with no sync wave WHEN built THEN the error names the table to extend', () => {
    const app = new App();
    const chart = new Chart(app, 'extras');
    expect(() => new ArgoCdChart(app, 'argocd', { model, charts: [chart] })).toThrow('chart "extras" has no sync wave: add it to CHART_WAVES in lib/charts/waves.ts');
  });
});

describe('an instance id that names an operator Application', () => {
  test('GIVEN the instance "external" with secrets.delivery external-secrets WHEN rendered THEN a config error names the folder and the fix (its secrets Application would be external-secrets, like the operator\'s)', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'secrets:\n  name: mastodon-secrets\n',
      'secrets:\n  name: mastodon-secrets\n  delivery: external-secrets\n  externalSecrets:\n    store: { kind: ClusterSecretStore, name: vault }\n') }, 'external');
    expect(renderProblemsOf(dir).map((l) => l.replace(/^.*[\/](external:)/, '$1'))).toEqual([
      'external:1:1: the instance id "external" makes two Applications named external-secrets in external/argocd/; allowed: another name for the instance folder (config/<instance>/), one that names no operator Application with a chart\'s suffix',
    ]);
  });
});
