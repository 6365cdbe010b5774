import { exampleVariant, problemsOf, replaceOnce } from '../helpers';
import { loadInstance } from '../../lib/app/load';

const instance = (edit: (t: string) => string) => problemsOf(exampleVariant({ instance: edit }));

describe('Redis settings are checked with their position and what is allowed', () => {
  test('GIVEN a role with both dragonfly and external THEN the choice is explained', () => {
    expect(instance((t) => replaceOnce(t, '  cache: # CACHE_REDIS_URL; cache mode, no snapshots\n', '  cache:\n    external: { host: valkey }\n'))).toEqual([
      'instance.yaml:55:5: redis.cache: {"external":{"host":"valkey"},"dragonfly":{"password":{"name":"dragonfly-auth","key":"password"}}} is not allowed: must NOT have more than 1 properties; allowed: either dragonfly: {…} (run here; the default) or external: {…} (a server run elsewhere), not both',
    ]);
  });

  test('GIVEN a credential flag in a Dragonfly\'s args THEN it is refused at its item', () => {
    expect(instance((t) => replaceOnce(t, '      resources: # one', '      args: [--requirepass=hunter2]\n      resources: # one'))).toEqual([
      'instance.yaml:49:14: redis.mastodon.dragonfly.args[0]: --requirepass=… puts a credential into Git; allowed: the password as a Secret reference in redis.mastodon.dragonfly.password',
    ]);
  });

  test('GIVEN an unpinned Dragonfly image THEN the pinned form is asked for', () => {
    expect(instance((t) => replaceOnce(t, '      resources: # one', '      image: docker.dragonflydb.io/dragonflydb/dragonfly:latest\n      resources: # one'))).toEqual([
      'instance.yaml:49:14: redis.mastodon.dragonfly.image: "docker.dragonflydb.io/dragonflydb/dragonfly:latest" is not allowed; allowed: an image with a pinned tag or digest (not latest), such as docker.dragonflydb.io/dragonflydb/dragonfly:v1.40.1',
    ]);
  });

  test('GIVEN a memory limit too small for the CPU limit THEN Dragonfly\'s per-thread minimum is explained', () => {
    expect(instance((t) => replaceOnce(t, 'limits: { cpu: "2", memory: 2Gi }', 'limits: { cpu: "4", memory: 1Gi }'))).toEqual([
      'instance.yaml:50:9: redis.mastodon.dragonfly.resources: the memory limit 1Gi is too small for 4 Dragonfly thread(s) (one per CPU of the limit 4): Dragonfly needs 256 MiB per thread out of 80% of the limit; raise the memory limit to at least 1280Mi or lower the CPU limit',
    ]);
  });

  test('GIVEN a snapshot schedule that is no crontab THEN the form is described', () => {
    expect(instance((t) => replaceOnce(t, '      resources: # one', '      snapshot: { cron: hourly }\n      resources: # one'))).toEqual([
      'instance.yaml:49:25: redis.mastodon.dragonfly.snapshot.cron: "hourly" is not allowed; allowed: a crontab expression with five fields, such as */5 * * * *',
    ]);
  });
});

describe('edge and certManager are checked together', () => {
  test('GIVEN an edge without certManager THEN the issuer it needs is named', () => {
    expect(instance((t) => t.slice(0, t.indexOf('\n# ClusterIssuers')) + '\n')).toEqual([
      "instance.yaml:96:3: edge: needs a certManager section: the edge serves a certificate from its Let's Encrypt ClusterIssuers",
    ]);
  });

  test('GIVEN HTTP-01 without an edge THEN both ways out are offered', () => {
    expect(instance((t) => t.replace(/\n# ingress-nginx in front[\s\S]*?\n# ClusterIssuers/, '\n# ClusterIssuers'))).toEqual([
      'instance.yaml:99:11: certManager.solver: http01 answers challenges through the edge, and there is no edge section; allowed: add an edge, or solver: dns01',
    ]);
  });

  test('GIVEN dns01 without a token THEN the token is asked for', () => {
    expect(instance((t) => replaceOnce(t, 'solver: http01', 'solver: dns01'))).toEqual([
      'instance.yaml:108:3: certManager: missing required field "digitalOceanToken": dns01 creates TXT records with a DigitalOcean API token',
    ]);
  });

  test('GIVEN a token with http01 THEN it is pointed at', () => {
    expect(instance((t) => replaceOnce(t, '  solver: http01\n', '  solver: http01\n  digitalOceanToken: { name: do, key: token }\n'))).toEqual([
      'instance.yaml:110:3: certManager.digitalOceanToken: is only used with solver: dns01; allowed: remove it, or set solver: dns01',
    ]);
  });

  test('GIVEN a streaming domain that is the web domain THEN it is refused', () => {
    expect(instance((t) => replaceOnce(t, '  className: nginx\n', '  className: nginx\n  streamingDomain: example.social\n'))).toEqual([
      'instance.yaml:98:20: edge.streamingDomain: "example.social" is already a web host; allowed: a host of its own, or leave it out to serve streaming under the web domain',
    ]);
  });

  test('GIVEN load balancer annotations on an ingress edge THEN they are accepted (ingress-nginx\'s Service gets them)', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  className: nginx\n', '  className: nginx\n  loadBalancerAnnotations: { a: b }\n') });
    expect(() => loadInstance(dir)).not.toThrow();
  });

  test('GIVEN a PROXY protocol switch that is not "true" or "false" THEN the values are listed', () => {
    expect(instance((t) => replaceOnce(t, '  className: nginx\n', '  className: nginx\n  loadBalancerAnnotations: { service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol: "yes" }\n'))).toEqual([
      'instance.yaml:98:30: edge.loadBalancerAnnotations.service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol: "yes" is not a switch; allowed: "true" or "false"',
    ]);
  });

  test('GIVEN a trusted proxy that is no address THEN the form is described', () => {
    expect(instance((t) => replaceOnce(t, '[10.0.0.0/8]', '[my-proxy]'))).toEqual([
      'instance.yaml:99:21: edge.trustedProxyIps[0]: "my-proxy" is not allowed; allowed: an IPv4 or IPv6 address or CIDR, such as 10.0.0.0/8 or fd00::/8',
    ]);
  });
});
