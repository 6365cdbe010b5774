import { exampleVariant, objectAt, problemsOf, renderExample, GATEWAY_EXAMPLE_DIR, renderedFiles } from '../helpers';

/** The example with a `networkPolicy:` section appended to instance.yaml. */
function renderWith(section: string, id = 'net') {
  return renderedFiles(exampleVariant({ instance: (t) => `${t}\nnetworkPolicy:\n${section}` }, id));
}

describe('network policies of the example (defaults)', () => {
  const tree = renderExample();
  const policy = (name: string) => objectAt(tree, `example/mastodon/NetworkPolicy.${name}.yaml`);

  test('THEN ingress is denied to every pod of the namespace by default', () => {
    expect(policy('default-deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });

  test('THEN the ingress-nginx namespace may reach web on 3000 and streaming on 4000', () => {
    const fromNginx = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }];
    const web = policy('allow-edge-to-web').spec;
    expect(web.podSelector.matchLabels['app.kubernetes.io/component']).toBe('web');
    expect(web.ingress).toEqual([{ from: fromNginx, ports: [{ port: 3000, protocol: 'TCP' }] }]);
    expect(policy('allow-edge-to-streaming').spec.ingress).toEqual([{ from: fromNginx, ports: [{ port: 4000, protocol: 'TCP' }] }]);
    expect(policy('allow-edge-to-acme-solver').spec.podSelector).toEqual({ matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } });
  });

  test("THEN the instance's Mastodon pods may reach its Dragonfly pods on 6379 (replication on 9999 is the operator's policy's)", () => {
    const spec = policy('allow-mastodon-to-dragonfly').spec;
    expect(spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'dragonfly', 'mastodon-cdk8s.io/instance': 'example' } });
    expect(spec.ingress).toEqual([{
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mastodon', 'app.kubernetes.io/instance': 'example' } } }],
      ports: [{ port: 6379, protocol: 'TCP' }],
    }]);
  });

  test('THEN egress is left open', () => {
    expect([...tree.keys()].filter((f) => f.includes('egress'))).toEqual([]);
  });
});

describe('network policies behind a Gateway (config/gateway-example, no networkPolicy section)', () => {
  test('THEN web and streaming admit any source on their ports (Cilium Envoy has no selectable identity)', () => {
    const tree = renderedFiles(GATEWAY_EXAMPLE_DIR);
    expect(objectAt(tree, 'gateway-example/mastodon/NetworkPolicy.allow-edge-to-web.yaml').spec.ingress).toEqual([{ ports: [{ port: 3000, protocol: 'TCP' }] }]);
    expect(objectAt(tree, 'gateway-example/mastodon/NetworkPolicy.allow-edge-to-streaming.yaml').spec.ingress).toEqual([{ ports: [{ port: 4000, protocol: 'TCP' }] }]);
  });

  test('THEN with DNS-01 no policy admits the edge to HTTP-01 solver pods, which cert-manager never starts', () => {
    const tree = renderedFiles(GATEWAY_EXAMPLE_DIR);
    expect([...tree.keys()].filter((f) => f.includes('acme-solver'))).toEqual([]);
  });
});

describe('network policy settings', () => {
  test('GIVEN edge any THEN web admits every source on its port only', () => {
    const tree = renderWith('  edge: any\n');
    expect(objectAt(tree, 'net/mastodon/NetworkPolicy.allow-edge-to-web.yaml').spec.ingress).toEqual([{ ports: [{ port: 3000, protocol: 'TCP' }] }]);
  });

  test('GIVEN edge sources by namespace, pod labels and CIDR THEN each becomes a peer', () => {
    const tree = renderWith('  edge:\n    - namespace: gateway\n      podLabels: { app: envoy }\n    - cidr: 10.244.0.0/16\n');
    expect(objectAt(tree, 'net/mastodon/NetworkPolicy.allow-edge-to-streaming.yaml').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } }, podSelector: { matchLabels: { app: 'envoy' } } },
      { ipBlock: { cidr: '10.244.0.0/16' } },
    ]);
  });

  test('GIVEN restricted egress THEN Mastodon pods reach DNS, the namespace, the configured service ports and public HTTP(S) only', () => {
    const tree = renderWith('  egress: restricted\n');
    expect(objectAt(tree, 'net/mastodon/NetworkPolicy.restrict-mastodon-egress.yaml')).toMatchSnapshot();
  });

  test('GIVEN restricted egress and a bulk SMTP server on another port THEN Mastodon pods may reach that port too', () => {
    const bulk = '  bulk:\n    server: bulk.mail.example.net\n    port: 2525\n    login: { name: bulk-smtp, key: username }\n    password: { name: bulk-smtp, key: password }\n';
    const tree = renderedFiles(exampleVariant({
      instance: (t) => `${t.replace('  enableStarttls: always\n', `  enableStarttls: always\n${bulk}`)}\nnetworkPolicy:\n  egress: restricted\n`,
    }, 'bulk'));
    const ports = objectAt(tree, 'bulk/mastodon/NetworkPolicy.restrict-mastodon-egress.yaml').spec.egress
      .flatMap((rule: { ports?: { port: number }[] }) => (rule.ports ?? []).map((p) => p.port));
    expect(ports).toContain(587);
    expect(ports).toContain(2525);
  });

  test('GIVEN a source with both namespace and cidr THEN it is pointed at', () => {
    const dir = exampleVariant({ instance: (t) => `${t}\nnetworkPolicy:\n  edge:\n    - { namespace: gateway, cidr: 10.0.0.0/8 }\n` });
    expect(problemsOf(dir)).toEqual(['instance.yaml:150:7: networkPolicy.edge[0]: a source with cidr cannot also have namespace or podLabels; allowed: either {namespace, podLabels} or {cidr}']);
  });

  test('GIVEN an edge that is neither any nor a list THEN both forms are offered', () => {
    const dir = exampleVariant({ instance: (t) => `${t}\nnetworkPolicy:\n  edge: everyone\n` });
    expect(problemsOf(dir)).toEqual(['instance.yaml:149:9: networkPolicy.edge: "everyone" is not allowed; allowed: \'any\' or a list of sources, each {namespace, podLabels} or {cidr}']);
  });
});
