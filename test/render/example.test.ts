import { LABEL_SIDEKIQ_POOL } from '../../lib/constructs/common/labels';
import { SIDEKIQ_SHUTDOWN } from '../../lib/sizing/sidekiq';
import { objectAt, renderExample } from '../helpers';

const SELECTOR_KEYS = ['app.kubernetes.io/component', 'app.kubernetes.io/instance', 'app.kubernetes.io/name'];

describe('rendering config/example', () => {
  // GIVEN the example instance WHEN rendered
  const tree = renderExample();
  const web = objectAt(tree, 'example/mastodon/Deployment.web.yaml');
  const streaming = objectAt(tree, 'example/mastodon/Deployment.streaming.yaml');
  const sidekiqDefault = objectAt(tree, 'example/mastodon/Deployment.sidekiq-default.yaml');
  const scheduler = objectAt(tree, 'example/mastodon/Deployment.sidekiq-scheduler.yaml');
  const container = (d: any) => d.spec.template.spec.containers[0];
  const env = (d: any, name: string) => container(d).env.find((e: any) => e.name === name)?.value;

  test('THEN the whole output matches the reviewed snapshot', () => {
    expect(Object.fromEntries(tree)).toMatchSnapshot();
  });

  test('THEN one file per resource, named <instance>/<chart>/<Kind>.<name>.yaml', () => {
    expect([...tree.keys()].sort()).toEqual([
      'example/SECRETS.md',
      'example/argocd/AppProject.example-platform.yaml',
      'example/argocd/AppProject.example.yaml',
      'example/argocd/Application.cert-manager.yaml',
      'example/argocd/Application.dragonfly-operator.yaml',
      'example/argocd/Application.example-cluster.yaml',
      'example/argocd/Application.example-data.yaml',
      'example/argocd/Application.example-edge.yaml',
      'example/argocd/Application.example-mastodon.yaml',
      'example/argocd/Application.example-operations.yaml',
      'example/argocd/Application.example-search.yaml',
      'example/argocd/Application.ingress-nginx.yaml',
      'example/bootstrap/Application.example-root.yaml',
      'example/bootstrap/argocd-cm.patch',
      'example/cluster/ClusterIssuer.letsencrypt-production-example.yaml',
      'example/cluster/ClusterIssuer.letsencrypt-staging-example.yaml',
      'example/data/Dragonfly.dragonfly-cache.yaml',
      'example/data/Dragonfly.dragonfly-mastodon.yaml',
      'example/data/Dragonfly.dragonfly-sidekiq.yaml',
      'example/edge/Ingress.streaming.yaml',
      'example/edge/Ingress.web.yaml',
      'example/mastodon/ConfigMap.example-grafana-dashboard.yaml',
      'example/mastodon/ConfigMap.mastodon-env.yaml',
      'example/mastodon/Deployment.sidekiq-default.yaml',
      'example/mastodon/Deployment.sidekiq-scheduler.yaml',
      'example/mastodon/Deployment.streaming.yaml',
      'example/mastodon/Deployment.web.yaml',
      'example/mastodon/Job.db-backup-pre-v4-7-2.yaml',
      'example/mastodon/Job.db-migrate-post.yaml',
      'example/mastodon/Job.db-migrate-pre.yaml',
      'example/mastodon/NetworkPolicy.allow-edge-to-acme-solver.yaml',
      'example/mastodon/NetworkPolicy.allow-edge-to-streaming.yaml',
      'example/mastodon/NetworkPolicy.allow-edge-to-web.yaml',
      'example/mastodon/NetworkPolicy.allow-mastodon-to-dragonfly.yaml',
      'example/mastodon/NetworkPolicy.allow-scrape-dragonfly-cache.yaml',
      'example/mastodon/NetworkPolicy.allow-scrape-dragonfly-mastodon.yaml',
      'example/mastodon/NetworkPolicy.allow-scrape-dragonfly-sidekiq.yaml',
      'example/mastodon/NetworkPolicy.allow-scrape-sidekiq-default.yaml',
      'example/mastodon/NetworkPolicy.allow-scrape-sidekiq-scheduler.yaml',
      'example/mastodon/NetworkPolicy.allow-scrape-streaming.yaml',
      'example/mastodon/NetworkPolicy.allow-scrape-web.yaml',
      'example/mastodon/NetworkPolicy.default-deny-ingress.yaml',
      'example/mastodon/PodDisruptionBudget.sidekiq-default.yaml',
      'example/mastodon/PodDisruptionBudget.streaming.yaml',
      'example/mastodon/PodDisruptionBudget.web.yaml',
      'example/mastodon/PodMonitor.dragonfly-cache.yaml',
      'example/mastodon/PodMonitor.dragonfly-mastodon.yaml',
      'example/mastodon/PodMonitor.dragonfly-sidekiq.yaml',
      'example/mastodon/PodMonitor.sidekiq-default.yaml',
      'example/mastodon/PodMonitor.sidekiq-scheduler.yaml',
      'example/mastodon/PodMonitor.streaming.yaml',
      'example/mastodon/PodMonitor.web.yaml',
      'example/mastodon/PrometheusRule.example-operations.yaml',
      'example/mastodon/PrometheusRule.example-slo.yaml',
      'example/mastodon/Service.streaming.yaml',
      'example/mastodon/Service.web.yaml',
      'example/operations/CronJob.backup-database.yaml',
      'example/operations/CronJob.backup-media.yaml',
      'example/operations/CronJob.maintenance-media-remove.yaml',
      'example/operations/CronJob.maintenance-preview-cards-remove.yaml',
      'example/search/Job.search-deploy-1.yaml',
    ]);
  });

  test('THEN each Sidekiq pool runs its queues with -c threads, and DB_POOL follows threads', () => {
    expect(container(sidekiqDefault).command).toEqual(['/bin/sh', '-c', 'rm -f /opt/mastodon/tmp/sidekiq_process_has_started_and_will_begin_processing_jobs && exec bundle exec sidekiq "$@"', 'sidekiq']);
    expect(container(sidekiqDefault).args).toEqual(['-c', '8', '-t', '25', '-q', 'default,8', '-q', 'push,6', '-q', 'ingress,4', '-q', 'fasp,2', '-q', 'pull,1']);
    expect(env(sidekiqDefault, 'DB_POOL')).toBe('8');
    expect(sidekiqDefault.spec.replicas).toBe(4);
    expect(container(scheduler).args).toEqual(['-c', '4', '-t', '25', '-q', 'scheduler,2', '-q', 'mailers,1']);
    expect(env(scheduler, 'DB_POOL')).toBe('4');
  });

  test('THEN only the pool consuming the scheduler queue is replaced with the Recreate strategy', () => {
    expect(scheduler.spec.strategy).toEqual({ type: 'Recreate' });
    expect(sidekiqDefault.spec.strategy).toBeUndefined();
  });

  test('THEN Sidekiq is quieted before it is stopped, within a grace period longer than its timeout', () => {
    for (const d of [sidekiqDefault, scheduler]) {
      expect(container(d).lifecycle.preStop.exec.command).toEqual(['/bin/sh', '-c', `kill -s TSTP 1 && sleep ${SIDEKIQ_SHUTDOWN.quietSeconds}`]);
      expect(d.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(SIDEKIQ_SHUTDOWN.quietSeconds + SIDEKIQ_SHUTDOWN.timeoutSeconds);
    }
  });

  test('THEN a Sidekiq pod is ready once Mastodon writes its ready file to the writable tmp', () => {
    const file = env(sidekiqDefault, 'MASTODON_SIDEKIQ_READY_FILENAME');
    expect(file).toBe('sidekiq_process_has_started_and_will_begin_processing_jobs');
    expect(container(sidekiqDefault).readinessProbe.exec.command).toEqual(['cat', `/opt/mastodon/tmp/${file}`]);
    expect(container(sidekiqDefault).volumeMounts).toContainEqual({ mountPath: '/opt/mastodon/tmp', name: 'rails-tmp' });
  });

  test('THEN web runs Puma with WEB_CONCURRENCY workers × MAX_THREADS threads', () => {
    expect(container(web).command).toEqual(['bundle', 'exec', 'puma', '-C', 'config/puma.rb']);
    expect(env(web, 'WEB_CONCURRENCY')).toBe('2');
    expect(env(web, 'MAX_THREADS')).toBe('8');
    expect(env(web, 'DB_POOL')).toBe('8');
    expect(web.spec.replicas).toBe(2);
  });

  test('THEN web and streaming are probed on their health endpoints', () => {
    expect(container(web).readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container(web).startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container(web).ports).toEqual([{ containerPort: 3000, name: 'http', protocol: 'TCP' }]);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(container(streaming)[probe].httpGet).toEqual({ path: '/api/v1/streaming/health', port: 'http' });
    }
    expect(container(streaming).command).toEqual(['node', './streaming']);
    expect(container(streaming).image).toBe('ghcr.io/mastodon/mastodon-streaming:v4.7.2');
    expect(container(streaming).ports).toEqual([{ containerPort: 4000, name: 'http', protocol: 'TCP' }]);
  });

  test('THEN selectors use the semantic labels only, and Services select the same pods', () => {
    for (const [d, extra] of [[web, []], [streaming, []], [sidekiqDefault, [LABEL_SIDEKIQ_POOL]], [scheduler, [LABEL_SIDEKIQ_POOL]]] as const) {
      const selector = d.spec.selector.matchLabels;
      expect(Object.keys(selector).sort()).toEqual([...SELECTOR_KEYS, ...extra].sort());
      expect(d.spec.template.metadata.labels).toMatchObject(selector);
      expect(selector['app.kubernetes.io/instance']).toBe('example');
    }
    expect(objectAt(tree, 'example/mastodon/Service.web.yaml').spec.selector).toEqual(web.spec.selector.matchLabels);
    expect(objectAt(tree, 'example/mastodon/Service.streaming.yaml').spec.selector).toEqual(streaming.spec.selector.matchLabels);
    expect(sidekiqDefault.spec.selector.matchLabels[LABEL_SIDEKIQ_POOL]).toBe('default');
  });

  test('THEN no name or label carries a construct-path hash', () => {
    for (const content of tree.values()) expect(content).not.toMatch(/cdk8s\.io\/metadata\.addr|-[0-9a-f]{8}\b/);
  });

  test('THEN images are pinned and pods run as UID/GID 991 with a writable tmp on a read-only root', () => {
    for (const d of [web, streaming, sidekiqDefault, scheduler]) {
      const c = container(d);
      expect(c.image).toMatch(/^ghcr\.io\/mastodon\/mastodon(-streaming)?:v4\.7\.2$/);
      expect(c.imagePullPolicy).toBe('IfNotPresent');
      expect(d.spec.template.spec.securityContext).toMatchObject({ runAsUser: 991, runAsGroup: 991, fsGroup: 991, runAsNonRoot: true });
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
    // Web keeps the image's /opt/mastodon/tmp (its precompiled bootsnap cache, read-only); Sidekiq needs it writable for the ready file.
    expect(container(web).volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(env(web, 'BOOTSNAP_READONLY')).toBe('true');
    expect(container(sidekiqDefault).volumeMounts).toContainEqual({ mountPath: '/opt/mastodon/tmp', name: 'rails-tmp' });
    // Ruby's TMPDIR: a 0700 subdirectory of the /tmp emptyDir, made by an init container (test/contracts/ruby-tmpdir.test.ts runs Ruby on it).
    for (const d of [web, sidekiqDefault, scheduler]) {
      expect(env(d, 'TMPDIR')).toBe('/tmp/ruby');
      expect(d.spec.template.spec.initContainers[0].command).toEqual(['mkdir', '-p', '-m', '0700', '/tmp/ruby']);
    }
    // Sidekiq's emptyDir over /opt/mastodon/tmp hides the image's bootsnap cache: a copy goes to /tmp.
    for (const d of [sidekiqDefault, scheduler]) {
      expect(d.spec.template.spec.initContainers.map((c: any) => c.name)).toEqual(['prepare-tmpdir', 'seed-bootsnap-cache']);
      expect(env(d, 'BOOTSNAP_CACHE_DIR')).toBe('/tmp/bootsnap');
    }
    expect(web.spec.template.spec.initContainers).toHaveLength(1);
    expect(streaming.spec.template.spec.initContainers).toBeUndefined();
  });

  test('THEN the ConfigMap hash is on every pod template, so a config change rolls them', () => {
    const hashes = [web, streaming, sidekiqDefault, scheduler].map((d) => d.spec.template.metadata.annotations['mastodon-cdk8s.io/config-hash']);
    expect(new Set(hashes).size).toBe(1);
    expect(hashes[0]).toMatch(/^[0-9a-f]{16}$/);
  });

  test('THEN the database is the PgBouncer pool without prepared statements', () => {
    const cm = objectAt(tree, 'example/mastodon/ConfigMap.mastodon-env.yaml');
    expect(cm.data).toMatchObject({ DB_PORT: '25061', DB_NAME: 'mastodon-pool', PREPARED_STATEMENTS: 'false', DB_SSLMODE: 'require' });
  });

  test('THEN secrets appear only as references, and Redis passwords only as $(VAR) interpolation', () => {
    const all = [...tree.values()].join('\n');
    expect(all).not.toMatch(/kind: Secret\b/);
    expect(env(web, 'REDIS_URL')).toBe('redis://:$(REDIS_PASSWORD)@dragonfly-mastodon:6379/0');
    const passwordIndex = container(web).env.findIndex((e: any) => e.name === 'REDIS_PASSWORD');
    const urlIndex = container(web).env.findIndex((e: any) => e.name === 'REDIS_URL');
    expect(passwordIndex).toBeLessThan(urlIndex); // $(VAR) only sees earlier variables
    expect(container(web).env.find((e: any) => e.name === 'DB_PASS').valueFrom).toEqual({ secretKeyRef: { name: 'mastodon-db', key: 'password' } });
  });

  test('THEN streaming gets only the base Redis and no application secrets', () => {
    const names = container(streaming).env.map((e: any) => e.name);
    expect(names).toContain('REDIS_URL');
    expect(names).not.toContain('SIDEKIQ_REDIS_URL');
    expect(names).not.toContain('SECRET_KEY_BASE');
    expect(env(streaming, 'DB_POOL')).toBe('10');
    // node-postgres would verify DigitalOcean's privately signed certificate with `require`.
    expect(env(streaming, 'DB_SSLMODE')).toBe('no-verify');
  });

  test('THEN SECRETS.md lists every referenced Secret key', () => {
    const doc = tree.get('example/SECRETS.md')!;
    for (const ref of ['`mastodon-db` | `password`', '`mastodon-secrets` | `SECRET_KEY_BASE`', '`ses-smtp` | `username`', '`spaces-credentials` | `secret-access-key`', '`dragonfly-auth` | `password` | `CACHE_REDIS_PASSWORD`']) {
      expect(doc).toContain(ref);
    }
  });
});
