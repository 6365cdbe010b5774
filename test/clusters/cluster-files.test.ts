import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { clusterFile, configRoot, EXAMPLE_OPERATORS, exampleAs, problemsIn, renderRoot, selecting } from './fixture';
import { errorOf, EXAMPLE_DIR, GATEWAY_EXAMPLE_DIR, listTree, replaceOnce, runCli, tempDir, renderedFiles, renderExample } from '../helpers';

const OPERATOR_APPS = ['cert-manager', 'dragonfly-operator', 'ingress-nginx'];
const GATEWAY_SERVER = 'https://00000000-0000-0000-0000-000000000000.k8s.ondigitalocean.com';
const yamlAt = (files: ReadonlyMap<string, string>, file: string) => {
  const text = files.get(file);
  if (text === undefined) throw new Error(`${file} was not rendered; rendered: ${[...files.keys()].join(', ')}`);
  return parse(text);
};

describe('config/clusters/<cluster>.yaml: the operators of a cluster, declared once', () => {
  test('GIVEN no cluster file THEN an instance installs its own operators and nothing is rendered under clusters/ (as before cluster files existed)', () => {
    const { files } = renderRoot(configRoot({ 'example/instance.yaml': fs.readFileSync(path.join(EXAMPLE_DIR, 'instance.yaml'), 'utf8') }));
    expect([...files.keys()].filter((f) => f.startsWith('clusters/'))).toEqual([]);
    for (const name of OPERATOR_APPS) expect(yamlAt(files, `example/argocd/Application.${name}.yaml`).spec.project).toBe('example-platform');
    // Byte for byte what the example renders on its own (as synth before cluster files).
    const alone = renderExample();
    for (const [file, text] of files) if (file.startsWith('example/')) expect([file, text]).toEqual([file, alone.get(file)]);
  });

  describe('GIVEN two instances of one cluster selecting config/clusters/main.yaml', () => {
    const root = configRoot({
      'clusters/main.yaml': clusterFile(EXAMPLE_OPERATORS),
      'one/instance.yaml': exampleAs('one', selecting('main')),
      'two/instance.yaml': exampleAs('two', selecting('main')),
    });
    const { files } = renderRoot(root);
    const legacy = renderRoot(configRoot({ 'one/instance.yaml': exampleAs('one') })).files;

    test('THEN the cluster renders its root, its AppProject and each operator Application once, under the names an instance gave them', () => {
      expect([...files.keys()].filter((f) => f.startsWith('clusters/')).sort()).toEqual([
        'clusters/CLUSTERS.md',
        'clusters/main/argocd/AppProject.cluster-main.yaml',
        ...OPERATOR_APPS.map((name) => `clusters/main/argocd/Application.${name}.yaml`),
        'clusters/main/bootstrap/Application.cluster-main-root.yaml',
      ]);
      for (const id of ['one', 'two']) expect([...files.keys()].filter((f) => f.startsWith(`${id}/argocd/Application.`) && !f.includes(`Application.${id}-`))).toEqual([]);
    });

    test('THEN each operator Application is the one the instance rendered, in the cluster project; no resources finalizer (deleting it leaves the operator running)', () => {
      for (const name of OPERATOR_APPS) {
        const moved = yamlAt(files, `clusters/main/argocd/Application.${name}.yaml`);
        const before = yamlAt(legacy, `one/argocd/Application.${name}.yaml`);
        expect(moved.spec).toEqual({ ...before.spec, project: 'cluster-main' });
        expect(moved.metadata).toEqual({ ...before.metadata, labels: { ...before.metadata.labels, 'app.kubernetes.io/instance': 'cluster-main' } });
        expect(moved.metadata.finalizers).toBeUndefined();
      }
    });

    test('THEN the cluster project allows the operators; the instances\' platform projects no longer do', () => {
      const project = yamlAt(files, 'clusters/main/argocd/AppProject.cluster-main.yaml').spec;
      expect(project.sourceRepos).toEqual(expect.arrayContaining(['https://charts.jetstack.io', 'https://kubernetes.github.io/ingress-nginx', 'https://github.com/example/mastodon-gitops.git']));
      expect(project.destinations.map((d: any) => d.namespace)).toEqual(['argocd', 'cert-manager', 'dragonfly-operator-system', 'ingress-nginx']);
      const platform = yamlAt(files, 'one/argocd/AppProject.one-platform.yaml').spec;
      expect(platform.sourceRepos).toEqual(['https://github.com/example/mastodon-gitops.git']);
      expect(platform.clusterResourceWhitelist.map((k: any) => k.kind)).toEqual(['Namespace', 'ClusterIssuer']);
    });

    test('THEN the cluster root syncs dist/clusters/main/argocd/ in its project, like an instance root', () => {
      const root = yamlAt(files, 'clusters/main/bootstrap/Application.cluster-main-root.yaml');
      const instanceRoot = yamlAt(files, 'one/bootstrap/Application.one-root.yaml');
      expect(root.spec).toEqual({ ...instanceRoot.spec, project: 'cluster-main', source: { ...instanceRoot.spec.source, path: 'dist/clusters/main/argocd' } });
      expect(yamlAt(files, 'clusters/main/argocd/AppProject.cluster-main.yaml').metadata.namespace).toBe('argocd');
      expect(files.get('clusters/CLUSTERS.md')).toContain('kubectl apply -n argocd -f dist/clusters/main/argocd/AppProject.cluster-main.yaml \\\n  -f dist/clusters/main/bootstrap/Application.cluster-main-root.yaml');
    });
  });

  test('GIVEN a cluster file of a remote cluster THEN its operator Applications are named <operator>-<cluster>, as argocd.cluster named them', () => {
    const gateway = fs.readFileSync(path.join(EXAMPLE_DIR, '..', 'gateway-example', 'instance.yaml'), 'utf8');
    const root = configRoot({
      'clusters/gateway.yaml': clusterFile('  cert-manager: { gatewayAPI: true }\n  dragonfly-operator: {}\n  keda: {}\n  external-secrets: {}', GATEWAY_SERVER),
      'gateway-example/instance.yaml': gateway,
      'gateway-example/queue-plan.yaml': fs.readFileSync(path.join(EXAMPLE_DIR, '..', 'gateway-example', 'queue-plan.yaml'), 'utf8'),
    });
    const { files } = renderRoot(root);
    const alone = renderedFiles(GATEWAY_EXAMPLE_DIR);
    const committed = (name: string) => yamlAt(alone, `gateway-example/argocd/Application.${name}.yaml`);
    for (const name of ['cert-manager-gateway', 'dragonfly-operator-gateway', 'keda-gateway', 'external-secrets-gateway']) {
      expect(yamlAt(files, `clusters/gateway/argocd/Application.${name}.yaml`).spec).toEqual({ ...committed(name).spec, project: 'cluster-gateway' });
    }
  });

  test('GIVEN ingress load-balancer annotations in the cluster file THEN ingress-nginx gets them (and use-proxy-protocol with PROXY protocol)', () => {
    const root = configRoot({
      'clusters/main.yaml': clusterFile('  cert-manager: {}\n  dragonfly-operator: {}\n  ingress-nginx:\n    loadBalancerAnnotations:\n      service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol: "true"'),
      'one/instance.yaml': exampleAs('one', selecting('main')),
    });
    const values = yamlAt(renderRoot(root).files, 'clusters/main/argocd/Application.ingress-nginx.yaml').spec.source.helm.valuesObject.controller;
    expect(values.service.annotations).toEqual({ 'service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol': 'true' });
    expect(values.config).toEqual({ 'use-proxy-protocol': 'true' });
  });
});

describe('what a cluster file must declare, named at the config line with the fix', () => {
  test('GIVEN an operator an instance needs missing from its cluster THEN the error points at what needs it and says what to add', () => {
    const root = configRoot({ 'clusters/main.yaml': clusterFile('  cert-manager: {}\n  dragonfly-operator: {}'), 'one/instance.yaml': exampleAs('one', selecting('main')) });
    expect(problemsIn(root)).toEqual([
      'config/one/instance.yaml:L:9: edge.kind: an Ingress edge needs the ingress-nginx operator, which config/clusters/main.yaml:5:3 does not declare; allowed: add "ingress-nginx: {}" under operators: in config/clusters/main.yaml',
    ]);
  });

  test('GIVEN a Gateway edge with certManager THEN the cluster must turn on cert-manager\'s Gateway API support', () => {
    const gateway = fs.readFileSync(path.join(EXAMPLE_DIR, '..', 'gateway-example', 'instance.yaml'), 'utf8');
    const root = configRoot({
      'clusters/gateway.yaml': clusterFile('  cert-manager: {}\n  dragonfly-operator: {}\n  keda: {}\n  external-secrets: {}', GATEWAY_SERVER),
      'gw/instance.yaml': gateway,
      'gw/queue-plan.yaml': fs.readFileSync(path.join(EXAMPLE_DIR, '..', 'gateway-example', 'queue-plan.yaml'), 'utf8'),
    });
    expect(problemsIn(root)[0]).toMatch(/^config\/gw\/instance\.yaml:L:\d+: edge\.kind: a Gateway with certManager needs cert-manager's Gateway API support, which config\/clusters\/gateway\.yaml:6:17 does not turn on; allowed: "cert-manager: \{ gatewayAPI: true \}" under operators: in config\/clusters\/gateway\.yaml$/);
  });

  test('GIVEN an instance that deploys elsewhere than its cluster file THEN the servers must match', () => {
    const root = configRoot({ 'clusters/main.yaml': clusterFile(EXAMPLE_OPERATORS, GATEWAY_SERVER), 'one/instance.yaml': exampleAs('one', selecting('main')) });
    expect(problemsIn(root)[0]).toBe(`config/one/instance.yaml:L:12: argocd.cluster: the instance deploys to https://kubernetes.default.svc, but config/clusters/main.yaml installs the operators of cluster main into ${GATEWAY_SERVER}; allowed: argocd.server: ${GATEWAY_SERVER}, or a cluster file of the instance's own cluster`);
  });

  test('GIVEN argocd.operators beside a cluster file THEN it is refused: the cluster file says what is installed', () => {
    const root = configRoot({ 'clusters/main.yaml': clusterFile(EXAMPLE_OPERATORS), 'one/instance.yaml': exampleAs('one', (t) => replaceOnce(selecting('main')(t), '  cluster: main\n', '  cluster: main\n  operators: none\n')) });
    expect(problemsIn(root)[0]).toBe('config/one/instance.yaml:L:14: argocd.operators: the operators of cluster main are declared in config/clusters/main.yaml; allowed: no argocd.operators here (list them under operators: in config/clusters/main.yaml)');
  });

  test('GIVEN ingress load-balancer annotations on an instance of a cluster file THEN they belong to the cluster (one ingress-nginx for all)', () => {
    const root = configRoot({ 'clusters/main.yaml': clusterFile(EXAMPLE_OPERATORS), 'one/instance.yaml': exampleAs('one', (t) => replaceOnce(selecting('main')(t), '  className: nginx\n', '  className: nginx\n  loadBalancerAnnotations: { service.beta.kubernetes.io/do-loadbalancer-name: one }\n')) });
    expect(problemsIn(root)[0]).toMatch(/^config\/one\/instance\.yaml:L:3: edge\.loadBalancerAnnotations: with kind: ingress these annotate the ingress-nginx Service that every instance of cluster main shares; allowed: move them to operators\.ingress-nginx\.loadBalancerAnnotations in config\/clusters\/main\.yaml$/);
  });

  test('GIVEN an instance naming a cluster without a file, on the server of another cluster file THEN it is refused (a typo, or the operators twice)', () => {
    const root = configRoot({ 'clusters/main.yaml': clusterFile(EXAMPLE_OPERATORS), 'one/instance.yaml': exampleAs('one', selecting('mian')) });
    const line = exampleAs('one', selecting('mian')).split('\n').indexOf('  cluster: mian') + 1;
    expect(errorOf(() => renderRoot(root))).toContain(`one/instance.yaml:${line}:12: argocd.cluster: there is no config/clusters/mian.yaml`);
    expect(problemsIn(root)[0]).toBe('config/one/instance.yaml:L:12: argocd.cluster: there is no config/clusters/mian.yaml, and config/clusters/main.yaml declares the operators of https://kubernetes.default.svc; allowed: argocd.cluster: main, or a config/clusters/mian.yaml of another server');
  });

  test('GIVEN an instance of another server naming its cluster without a file THEN it still installs its own operators there (as before cluster files)', () => {
    const gateway = fs.readFileSync(path.join(EXAMPLE_DIR, '..', 'gateway-example', 'instance.yaml'), 'utf8');
    const root = configRoot({
      'clusters/main.yaml': clusterFile(EXAMPLE_OPERATORS),
      'one/instance.yaml': exampleAs('one', selecting('main')),
      'gateway-example/instance.yaml': gateway,
      'gateway-example/queue-plan.yaml': fs.readFileSync(path.join(EXAMPLE_DIR, '..', 'gateway-example', 'queue-plan.yaml'), 'utf8'),
    });
    const { files } = renderRoot(root);
    expect(files.has('gateway-example/argocd/Application.cert-manager-gateway.yaml')).toBe(true);
    expect(files.has('clusters/main/argocd/Application.cert-manager.yaml')).toBe(true);
  });
});

describe('operator Applications rendered twice: the config line and the fix, never a dist/ file', () => {
  test('GIVEN two instances installing their own operators into one cluster THEN the second is refused with the way out', () => {
    const root = configRoot({ 'one/instance.yaml': exampleAs('one'), 'two/instance.yaml': exampleAs('two') });
    const problems = problemsIn(root);
    expect(problems).toEqual([
      'config/two/instance.yaml:L:3: argocd: the operator Applications "cert-manager", "dragonfly-operator", "ingress-nginx" in namespace argocd are already rendered for instance one (config/one/instance.yaml:L:3); allowed: declare the cluster\'s operators once in config/clusters/<cluster>.yaml and select it with argocd.cluster in every instance of that cluster (README, "Clusters"), or argocd.operators: none',
    ]);
    expect(problems.join('\n')).not.toContain('dist/');
  });

  test('GIVEN a cluster file and an instance of that cluster installing its own THEN the instance is told to select the cluster', () => {
    const root = configRoot({ 'clusters/main.yaml': clusterFile(EXAMPLE_OPERATORS), 'one/instance.yaml': exampleAs('one', selecting('main')), 'two/instance.yaml': exampleAs('two') });
    expect(problemsIn(root)).toEqual(['config/two/instance.yaml:L:3: argocd: the instance installs its own operators into https://kubernetes.default.svc, whose operators config/clusters/main.yaml declares; allowed: argocd.cluster: main, or argocd.operators: none']);
  });

  test('GIVEN an instance of another server that names no cluster THEN its operator Applications take the in-cluster names, and the fix is to name its cluster', () => {
    const gateway = fs.readFileSync(path.join(EXAMPLE_DIR, '..', 'gateway-example', 'instance.yaml'), 'utf8');
    const root = configRoot({
      'clusters/main.yaml': clusterFile(EXAMPLE_OPERATORS),
      'one/instance.yaml': exampleAs('one', selecting('main')),
      'gw/instance.yaml': replaceOnce(gateway, /  cluster: gateway.*\n/, ''),
      'gw/queue-plan.yaml': fs.readFileSync(path.join(EXAMPLE_DIR, '..', 'gateway-example', 'queue-plan.yaml'), 'utf8'),
    });
    expect(problemsIn(root)).toEqual([`config/gw/instance.yaml:L:3: argocd: the operator Applications "cert-manager", "dragonfly-operator" in namespace argocd are already rendered for config/clusters/main.yaml (config/clusters/main.yaml:5:17); allowed: a cluster file config/clusters/<cluster>.yaml for this instance's server ${GATEWAY_SERVER}, selected with argocd.cluster (its operator Applications are then named <operator>-<cluster>), or argocd.operators: none`]);
  });

  test('GIVEN two cluster files of one server THEN the second is refused', () => {
    const root = configRoot({ 'clusters/a.yaml': clusterFile(EXAMPLE_OPERATORS), 'clusters/b.yaml': clusterFile('  cert-manager: {}'), 'one/instance.yaml': exampleAs('one', selecting('a')) });
    expect(problemsIn(root)[0]).toBe('config/clusters/b.yaml:5:17: operators.cert-manager: the operator Application "cert-manager" in namespace argocd is already rendered for config/clusters/a.yaml (config/clusters/a.yaml:5:17); allowed: one cluster file per cluster (both install into https://kubernetes.default.svc), or another server');
  });
});

describe('reading cluster files', () => {
  test('GIVEN an unknown operator or field THEN a schema error at its line:col listing what is allowed', () => {
    const root = configRoot({ 'clusters/main.yaml': clusterFile('  cert-manager: {}\n  traefik: {}'), 'one/instance.yaml': exampleAs('one', selecting('main')) });
    expect(problemsIn(root)).toEqual([
      'config/clusters/main.yaml:6:3: operators.traefik: unknown field "traefik"; allowed fields: cert-manager, dragonfly-operator, ingress-nginx, keda, external-secrets, sealed-secrets',
    ]);
  });

  test('GIVEN a .yml file or a name that is not a DNS label THEN each is named with the fix', () => {
    const root = configRoot({ 'clusters/Main.yaml': clusterFile(EXAMPLE_OPERATORS), 'clusters/b.yml': clusterFile(EXAMPLE_OPERATORS), 'one/instance.yaml': exampleAs('one') });
    expect(problemsIn(root)).toEqual([
      'config/clusters/Main.yaml:1:1: cluster file name "Main" is not allowed; allowed: a DNS label (lowercase letters, digits and \'-\', at most 63 characters), the name instances select with argocd.cluster',
      'config/clusters/b.yml:1:1: a cluster file ends in .yaml; allowed: rename it to b.yaml',
    ]);
  });
});

describe('synth writes dist/clusters/ as its own folder', () => {
  test('GIVEN cluster files THEN synth writes them, --config keeps them, and removing the files removes the folder', async () => {
    const root = configRoot({ 'clusters/main.yaml': clusterFile(EXAMPLE_OPERATORS), 'one/instance.yaml': exampleAs('one', selecting('main')) });
    const out = path.join(tempDir(), 'dist');
    expect((await runCli(['synth', '--config', path.join(root, 'one'), '--out', out])).code).toBe(0);
    const first = listTree(out);
    expect(Object.keys(first).filter((f) => f.startsWith('clusters/')).length).toBe(6);
    fs.rmSync(path.join(root, 'clusters'), { recursive: true });
    fs.writeFileSync(path.join(root, 'one', 'instance.yaml'), exampleAs('one'));
    // --config renders only what it was given: with no cluster files, the cluster folder is not its to remove.
    expect((await runCli(['synth', '--config', path.join(root, 'one'), '--out', out])).code).toBe(0);
    expect(fs.existsSync(path.join(out, 'clusters', 'CLUSTERS.md'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'one', 'argocd', 'Application.cert-manager.yaml'))).toBe(true);
  });
});
