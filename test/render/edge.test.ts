import { exampleVariant, objectAt, renderExample, replaceOnce, GATEWAY_EXAMPLE_DIR, renderedFiles } from '../helpers';

describe('the ingress edge of config/example (ingress-nginx, HTTP-01)', () => {
  // GIVEN the example WHEN rendered
  const tree = renderExample();
  const web = objectAt(tree, 'example/edge/Ingress.web.yaml');
  const streaming = objectAt(tree, 'example/edge/Ingress.streaming.yaml');
  const issuer = (env: string) => objectAt(tree, `example/cluster/ClusterIssuer.letsencrypt-${env}-example.yaml`);

  test('THEN the web Ingress sends / to the web Service with Mastodon\'s 99 MiB upload limit and the certificate annotation', () => {
    expect(web.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt-production-example',
      'nginx.ingress.kubernetes.io/proxy-body-size': '99m',
    });
    expect(web.spec.ingressClassName).toBe('nginx');
    expect(web.spec.rules).toEqual([{ host: 'example.social', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 3000 } } } }] } }]);
    expect(web.spec.tls).toEqual([{ hosts: ['example.social'], secretName: 'example-social-tls' }]);
  });

  test('THEN the streaming Ingress sends /api/v1/streaming (Prefix) to streaming with long timeouts and no buffering, reusing the certificate', () => {
    expect(streaming.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
    });
    expect(streaming.spec.rules[0].http.paths).toEqual([{ path: '/api/v1/streaming', pathType: 'Prefix', backend: { service: { name: 'streaming', port: { number: 4000 } } } }]);
    expect(streaming.spec.tls).toEqual(web.spec.tls);
  });

  test('THEN the Ingresses point at the Services the mastodon chart renders', () => {
    expect(objectAt(tree, 'example/mastodon/Service.web.yaml').spec.ports[0].port).toBe(3000);
    expect(objectAt(tree, 'example/mastodon/Service.streaming.yaml').spec.ports[0].port).toBe(4000);
  });

  test('THEN ClusterIssuers for staging and production carry no namespace and solve HTTP-01 through the IngressClass', () => {
    for (const [env, server] of [['staging', 'https://acme-staging-v02.api.letsencrypt.org/directory'], ['production', 'https://acme-v02.api.letsencrypt.org/directory']]) {
      const { metadata, spec } = issuer(env);
      expect(metadata.namespace).toBeUndefined();
      expect(spec.acme).toEqual({
        email: 'admin@example.social',
        server,
        privateKeySecretRef: { name: `letsencrypt-${env}-example-account-key` },
        solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }],
      });
    }
  });

  test('THEN TRUSTED_PROXY_IP is set, and without a streaming domain STREAMING_API_BASE_URL is not', () => {
    const cm = objectAt(tree, 'example/mastodon/ConfigMap.mastodon-env.yaml');
    expect(cm.data.TRUSTED_PROXY_IP).toBe('10.0.0.0/8');
    expect(cm.data.STREAMING_API_BASE_URL).toBeUndefined();
  });
});

describe('an ingress edge with a streaming domain and alternate domains', () => {
  // GIVEN a streaming subdomain and an old domain WHEN rendered
  const dir = exampleVariant({
    instance: (t) => replaceOnce(replaceOnce(t, '  className: nginx\n', '  className: nginx\n  streamingDomain: Streaming.Example.Social\n'),
      '  defaultLocale: en\n', '  defaultLocale: en\n  alternateDomains: [old.example.social]\n'),
  }, 'streamhost');
  const tree = renderedFiles(dir);
  const web = objectAt(tree, 'streamhost/edge/Ingress.web.yaml');
  const streaming = objectAt(tree, 'streamhost/edge/Ingress.streaming.yaml');

  test('THEN streaming is served on its own host too, and STREAMING_API_BASE_URL points clients there', () => {
    expect(streaming.spec.rules.map((r: any) => r.host)).toEqual(['example.social', 'old.example.social', 'streaming.example.social']);
    expect(web.spec.rules.map((r: any) => r.host)).toEqual(['example.social', 'old.example.social']);
    expect(objectAt(tree, 'streamhost/mastodon/ConfigMap.mastodon-env.yaml').data.STREAMING_API_BASE_URL).toBe('wss://streaming.example.social');
  });

  test('THEN one certificate, requested by the web Ingress, covers every host', () => {
    const hosts = ['example.social', 'old.example.social', 'streaming.example.social'];
    expect(web.spec.tls).toEqual([{ hosts, secretName: 'example-social-tls' }]);
    expect(streaming.spec.tls).toEqual([{ hosts, secretName: 'example-social-tls' }]);
    expect(streaming.metadata.annotations['cert-manager.io/cluster-issuer']).toBeUndefined();
  });
});

describe('the gateway edge of config/gateway-example (Gateway API, DNS-01)', () => {
  // GIVEN the gateway example WHEN rendered
  const tree = renderedFiles(GATEWAY_EXAMPLE_DIR);
  const at = (file: string) => objectAt(tree, `gateway-example/${file}`);
  const gateway = at('edge/Gateway.mastodon.yaml');

  test('THEN the output matches the reviewed snapshot', () => {
    expect(Object.fromEntries(tree)).toMatchSnapshot();
  });

  test('THEN the Gateway is annotated for cert-manager, with HTTP and one HTTPS listener per host sharing a certificate', () => {
    expect(gateway.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt-production-gateway-example' });
    expect(gateway.spec.gatewayClassName).toBe('cilium');
    expect(gateway.spec.infrastructure).toEqual({ annotations: { 'service.beta.kubernetes.io/do-loadbalancer-name': 'social-example-org' } });
    expect(gateway.spec.listeners.map((l: any) => [l.name, l.protocol, l.port, l.hostname])).toEqual([
      ['http', 'HTTP', 80, undefined],
      ['social.example.org', 'HTTPS', 443, 'social.example.org'],
      ['streaming.social.example.org', 'HTTPS', 443, 'streaming.social.example.org'],
    ]);
    for (const l of gateway.spec.listeners.slice(1)) expect(l.tls).toEqual({ mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'gateway-example-tls' }] });
  });

  test('THEN HTTPRoutes send / to web and /api/v1/streaming to streaming over HTTPS, and HTTP to HTTPS', () => {
    const web = at('edge/HTTPRoute.web.yaml');
    const streaming = at('edge/HTTPRoute.streaming.yaml');
    expect(web.spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 3000 }] }]);
    expect(web.spec.parentRefs).toEqual([{ name: 'mastodon', sectionName: 'social.example.org' }]);
    expect(streaming.spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/api/v1/streaming' } }], backendRefs: [{ name: 'streaming', port: 4000 }] }]);
    expect(streaming.spec.hostnames).toEqual(['social.example.org', 'streaming.social.example.org']);
    expect(at('edge/HTTPRoute.https-redirect.yaml').spec).toMatchObject({
      parentRefs: [{ name: 'mastodon', sectionName: 'http' }],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
  });

  test('THEN the ClusterIssuers solve DNS-01 with the DigitalOcean token, which SECRETS.md lists in cert-manager\'s namespace', () => {
    const issuer = at('cluster/ClusterIssuer.letsencrypt-staging-gateway-example.yaml');
    expect(issuer.metadata.namespace).toBeUndefined();
    expect(issuer.spec.acme.solvers).toEqual([{ dns01: { digitalocean: { tokenSecretRef: { name: 'digitalocean-dns', key: 'access-token' } } } }]);
    expect(tree.get('gateway-example/SECRETS.md')).toContain('| `cert-manager` | `digitalocean-dns` | `access-token` | `dns01 solver of the ClusterIssuers` |');
    // secrets.delivery external-secrets: an ExternalSecret in cert-manager's namespace (test/render/secrets-delivery.test.ts).
    expect(tree.get('gateway-example/SECRETS.md')).toContain('| `mastodon-cdk8s/gateway-example/digitalocean-dns` | `access-token` | `cert-manager/digitalocean-dns` |');
  });

  test('THEN STREAMING_API_BASE_URL names the streaming host, and the external Valkey turns on REDIS_DRIVER=ruby', () => {
    const cm = at('mastodon/ConfigMap.mastodon-env.yaml');
    expect(cm.data.STREAMING_API_BASE_URL).toBe('wss://streaming.social.example.org');
    expect(cm.data.REDIS_DRIVER).toBe('ruby');
    expect(tree.has('gateway-example/data/Dragonfly.dragonfly-cache.yaml')).toBe(false);
  });
});

describe('a gateway edge with HTTP-01', () => {
  // GIVEN the example switched to a Gateway WHEN rendered
  const dir = exampleVariant({
    instance: (t) => replaceOnce(replaceOnce(replaceOnce(t, 'kind: ingress', 'kind: gateway'), '  className: nginx\n', ''), '  solver: http01\n', '  solver: http01\n  waitInsteadOfSelfCheck: 30s\n'),
  }, 'gw');
  const tree = renderedFiles(dir);

  test('THEN the ClusterIssuers answer HTTP-01 through an HTTPRoute on the Gateway\'s HTTP listener (waiting instead of self-checking), and the class defaults to cilium', () => {
    const issuer = objectAt(tree, 'gw/cluster/ClusterIssuer.letsencrypt-production-gw.yaml');
    expect(issuer.spec.acme.solvers).toEqual([{
      http01: { gatewayHTTPRoute: { parentRefs: [{ kind: 'Gateway', name: 'mastodon', namespace: 'mastodon', sectionName: 'http' }] } },
      waitInsteadOfSelfCheck: '30s',
    }]);
    expect(objectAt(tree, 'gw/edge/Gateway.mastodon.yaml').spec.gatewayClassName).toBe('cilium');
    expect([...tree.keys()].filter((f) => f.includes('/edge/Ingress.'))).toEqual([]);
  });
});

describe('an instance without edge and certManager', () => {
  // GIVEN neither section WHEN rendered
  const dir = exampleVariant({ instance: (t) => t.slice(0, t.indexOf('\n# ingress-nginx in front')) + '\n' }, 'bare');
  const tree = renderedFiles(dir);

  test('THEN nothing is rendered into edge/ or cluster/', () => {
    expect([...tree.keys()].filter((f) => /\/(edge|cluster)\//.test(f))).toEqual([]);
  });
});
