import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { initIo } from '../../lib/cli/init';
import { EXAMPLE_DIR, listTree, runCli, tempDir } from '../helpers';
import { K8S_SCHEMA, SHARED_CRDS, testWithShared } from '../shared';

/**
 * `mastodon-cdk8s init`: a new instance beside the examples, or in a repository without them,
 * renders and validates at once; a second instance reuses the cluster file, so no operator is
 * rendered twice.
 */

const REPO_URL = 'https://github.com/example/mastodon-gitops.git';
const cwd = process.cwd();
afterEach(() => {
  process.chdir(cwd);
  jest.restoreAllMocks();
});

/** A scratch repository whose config/ holds copies of the example instances, or nothing; the command runs in it. */
function repository(withExamples: boolean): string {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'config'));
  if (withExamples) {
    for (const id of ['example', 'gateway-example']) fs.cpSync(path.join(EXAMPLE_DIR, '..', id), path.join(root, 'config', id), { recursive: true });
  }
  process.chdir(root);
  return root;
}

/** Init without a terminal: every value from flags. */
function noTerminal(): void {
  jest.spyOn(initIo, 'ask').mockReturnValue(undefined);
}

const flags = (domain: string, ...more: string[]) => ['--domain', domain, '--region', 'ams3', '--database-plan', 'db-s-2vcpu-4gb', ...more];

describe('mastodon-cdk8s init beside the examples', () => {
  test('GIVEN the example instances WHEN two instances are added THEN the example moves onto the new cluster file (one line), the second reuses it, and synth and validate pass', async () => {
    const root = repository(true);
    noTerminal();
    const exampleBefore = fs.readFileSync('config/example/instance.yaml', 'utf8');
    const first = await runCli(['init', 'social', ...flags('social.example.net')]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('wrote config/clusters/main.yaml: operators cert-manager, dragonfly-operator, ingress-nginx');
    expect(first.stdout).toContain('changed config/example/instance.yaml: argocd.cluster: main');
    const exampleAfter = fs.readFileSync('config/example/instance.yaml', 'utf8');
    expect(exampleAfter.split('\n').filter((l) => !exampleBefore.split('\n').includes(l))).toEqual(['  cluster: main # its operators: config/clusters/main.yaml']);
    // The gateway example names the cluster "social": the new instance gets a namespace of its own.
    expect(parse(fs.readFileSync('config/social/instance.yaml', 'utf8')).namespace).toBe('social-mastodon');

    const second = await runCli(['init', 'town', ...flags('town.example.net', '--database-plan', '8')]);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).not.toContain('config/clusters');

    expect(await runCli(['synth'])).toMatchObject({ code: 0, stderr: '' });
    const dist = Object.keys(listTree(path.join(root, 'dist')));
    const operatorApps = dist.filter((f) => /Application\.(cert-manager|dragonfly-operator|ingress-nginx)\.yaml$/.test(f)).sort();
    expect(operatorApps).toEqual(['clusters/main/argocd/Application.cert-manager.yaml', 'clusters/main/argocd/Application.dragonfly-operator.yaml', 'clusters/main/argocd/Application.ingress-nginx.yaml']);
    expect(await runCli(['validate'])).toMatchObject({ code: 0 });
  });

  testWithShared('GIVEN two instances added beside the examples THEN dist/ passes the Kubernetes and CRD schemas', async () => {
    repository(true);
    noTerminal();
    expect((await runCli(['init', 'social', ...flags('social.example.net')])).code).toBe(0);
    expect((await runCli(['init', 'blog', ...flags('blog.example.net', '--database-plan', '2')])).code).toBe(0);
    expect((await runCli(['synth'])).code).toBe(0);
    const result = await runCli(['validate', '--k8s-schema', K8S_SCHEMA, '--crds', SHARED_CRDS]);
    expect(result.stdout).toMatch(/^valid: /);
    expect(result.code).toBe(0);
  });
});

describe('mastodon-cdk8s init in a repository without the examples', () => {
  test('GIVEN an empty config/ WHEN init runs with the repository URL THEN it writes the instance and the cluster file, and synth passes', async () => {
    const root = repository(false);
    noTerminal();
    const result = await runCli(['init', 'social', ...flags('social.example.net', '--repo-url', REPO_URL, '--edge', 'gateway')]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(Object.keys(listTree(path.join(root, 'config'))).sort()).toEqual(['clusters/main.yaml', 'social/instance.yaml', 'social/queue-plan.yaml']);
    expect(parse(fs.readFileSync('config/clusters/main.yaml', 'utf8')).operators).toEqual({ 'cert-manager': { gatewayAPI: true }, 'dragonfly-operator': {} });
    const instance = fs.readFileSync('config/social/instance.yaml', 'utf8');
    expect(instance.split('\n')[0]).toBe('# yaml-language-server: $schema=../../lib/config/schemas/instance.schema.json');
    expect(instance.split('\n').filter((l) => l.includes('# TODO:')).length).toBeGreaterThanOrEqual(4);
    expect(await runCli(['synth'])).toMatchObject({ code: 0, stderr: '' });
    expect(fs.existsSync(path.join(root, 'dist', 'clusters', 'main', 'bootstrap', 'Application.cluster-main-root.yaml'))).toBe(true);
  });

  test('GIVEN no repository URL anywhere THEN init asks for --repo-url and writes nothing', async () => {
    const root = repository(false);
    noTerminal();
    const result = await runCli(['init', 'social', ...flags('social.example.net')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: --repo-url: is needed: no cluster file or instance says which Git repository Argo CD reads');
    expect(fs.readdirSync(path.join(root, 'config'))).toEqual([]);
  });
});

describe('what init refuses, writing nothing', () => {
  test.each([
    [['init', 'example', ...flags('x.example.net')], 'error: config/example: already exists; init never overwrites'],
    [['init', 'clusters', ...flags('x.example.net')], 'error: clusters: is not allowed as an instance name'],
    [['init', 'Social', ...flags('x.example.net')], 'error: Social: is not allowed as an instance name'],
    [['init', 'social', '--region', 'ams3', '--database-plan', '4'], 'error: --domain: is needed and there is no terminal to ask on; allowed: pass --domain <value>'],
    [['init', 'social', ...flags('x.example.net', '--region', 'Amsterdam')], 'error: --region: "Amsterdam" is not a DigitalOcean region'],
    [['init', 'social', ...flags('x.example.net', '--database-plan', 'db-s-1vcpu-1gb')], 'error: --database-plan: "db-s-1vcpu-1gb" is not a database plan init can size for'],
    [['init', 'social', ...flags('x.example.net', '--edge', 'traefik')], 'error: --edge: "traefik" is not allowed; allowed: ingress or gateway'],
  ])('GIVEN %j THEN %s', async (args, message) => {
    const root = repository(true);
    noTerminal();
    const before = listTree(path.join(root, 'config'));
    const result = await runCli(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(listTree(path.join(root, 'config'))).toEqual(before);
  });

  test('GIVEN a Gateway instance for a cluster file without cert-manager\'s Gateway API support THEN the check names the cluster file line and the fix', async () => {
    const root = repository(true);
    noTerminal();
    expect((await runCli(['init', 'social', ...flags('social.example.net')])).code).toBe(0);
    const before = listTree(path.join(root, 'config'));
    const result = await runCli(['init', 'blog', ...flags('blog.example.net', '--edge', 'gateway')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/config\/blog\/instance\.yaml:\d+:9: edge\.kind: a Gateway with certManager needs cert-manager's Gateway API support, which config\/clusters\/main\.yaml:\d+:17 does not turn on; allowed: "cert-manager: \{ gatewayAPI: true \}" under operators: in config\/clusters\/main\.yaml/);
    expect(listTree(path.join(root, 'config'))).toEqual(before);
  });
});

describe('the interview on a terminal', () => {
  test('GIVEN a terminal and only the instance name THEN init asks for what it cannot derive, taking the default edge on an empty answer', async () => {
    repository(true);
    const questions: string[] = [];
    const answers = ['social.example.net', 'fra1', 'db-s-4vcpu-8gb', ''];
    jest.spyOn(initIo, 'ask').mockReturnValue(async (q) => {
      questions.push(q);
      return answers.shift()!;
    });
    expect((await runCli(['init', 'social'])).code).toBe(0);
    expect(questions).toEqual([
      'Domain of the instance (LOCAL_DOMAIN, e.g. social.example.org): ',
      'DigitalOcean region of its Spaces bucket and database (e.g. nyc3, ams3): ',
      'Managed PostgreSQL plan (e.g. db-s-2vcpu-4gb, or its memory in GiB): ',
      'Edge: ingress (ingress-nginx, HTTP-01) or gateway (DOKS Gateway API, DNS-01) [ingress]: ',
    ]);
    const instance = parse(fs.readFileSync('config/social/instance.yaml', 'utf8'));
    expect(instance).toMatchObject({ mastodon: { localDomain: 'social.example.net' }, storage: { s3: { region: 'fra1', endpoint: 'https://fra1.digitaloceanspaces.com' } }, database: { pool: { planMemoryGiB: 8 } }, edge: { kind: 'ingress' } });
  });
});
