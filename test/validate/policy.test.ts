import { imagePinProblem, noSecretValues, pinnedImages, podSecurity, POLICY_CHECKS, requestsWithinLimits, resourceRequests } from '../../lib/validate/policy';
import { exampleObjects, META, report, WEB, withEdit, withObject } from './fixtures';

const CONTAINER = `${WEB}: Deployment/web: spec.template.spec.containers[0]`;

describe('policy checks', () => {
  test('GIVEN the rendered example THEN every policy check passes', () => {
    const objects = exampleObjects();
    expect(POLICY_CHECKS.flatMap((check) => report(check, objects))).toEqual([]);
  });

  test('GIVEN a container that may escalate, runs as root, keeps capabilities and writes its root THEN each breach is reported', () => {
    const objects = withEdit(WEB, (d) => {
      d.spec.template.spec.securityContext = {};
      d.spec.template.spec.containers[0].securityContext = { privileged: true, runAsUser: 0, capabilities: { add: ['NET_ADMIN', 'NET_BIND_SERVICE'] } };
    });
    const at = `${CONTAINER}.securityContext`;
    expect(report(podSecurity, objects)).toEqual([
      `${at}.allowPrivilegeEscalation: must be false`,
      `${at}.privileged: must not be true`,
      `${at}.readOnlyRootFilesystem: must be true: write only to emptyDir volumes`,
      `${at}.runAsNonRoot: must be true (on the container or the pod)`,
      `${at}.runAsUser: must not be 0 (root)`,
      `${at}.seccompProfile: type must be RuntimeDefault or Localhost (on the container or the pod), not unset`,
      `${at}.capabilities: must drop ALL`,
      `${at}.capabilities: must not add NET_ADMIN (only NET_BIND_SERVICE is allowed)`,
    ]);
  });

  test('GIVEN a pod sharing the host or mounting the service account token THEN it is reported', () => {
    const objects = withEdit(WEB, (d) => {
      const spec = d.spec.template.spec;
      spec.hostNetwork = true;
      spec.automountServiceAccountToken = true;
      spec.volumes.push({ name: 'host', hostPath: { path: '/var/run' } });
      spec.containers[0].ports[0].hostPort = 3000;
    });
    const at = `${WEB}: Deployment/web: spec.template.spec`;
    expect(report(podSecurity, objects)).toEqual([
      `${at}.hostNetwork: must not be true: pods share nothing with the node`,
      `${at}.volumes[1].hostPath: is not allowed: no host directories (use an emptyDir or a PersistentVolumeClaim)`,
      `${at}.automountServiceAccountToken: must be false: Mastodon pods never talk to the Kubernetes API`,
      `${at}.containers[0].ports[0].hostPort: is not allowed: no host ports`,
    ]);
  });

  test('GIVEN a Secret with data, a literal password, a secret in a ConfigMap and a URL with a password THEN each is reported', () => {
    const secret = 'example/mastodon/Secret.db.yaml';
    const cm = 'example/mastodon/ConfigMap.mastodon-env.yaml';
    const objects = withObject(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', ...META }, stringData: { password: 'hunter2' } });
    const web = objects.find((o) => o.file === WEB)!.object as any;
    web.spec.template.spec.containers[0].env.push(
      { name: 'REPLICA_DB_PASS', value: 'hunter2' },
      { name: 'DATABASE_URL', value: 'postgres://mastodon:hunter2@db:5432/mastodon' },
      { name: 'SAFE_URL', value: 'redis://:$(REDIS_PASSWORD)@dragonfly:6379/0' },
      { name: 'TOKEN_REF', value: '$(DB_PASS)' },
    );
    (objects.find((o) => o.file === cm)!.object as any).data.OIDC_CLIENT_SECRET = 'abc123';
    // Not a setting Mastodon reads: no guess from the name (its value is checked like every string).
    (objects.find((o) => o.file === cm)!.object as any).data.API_TOKEN = 'abc123';
    const n = web.spec.template.spec.containers[0].env.length;
    expect(report(noSecretValues, objects).sort()).toEqual([
      `${cm}: ConfigMap/mastodon-env: data.OIDC_CLIENT_SECRET: OIDC_CLIENT_SECRET holds a secret (lib/catalog/secret-settings.ts) in a ConfigMap; reference a Secret key instead`,
      `${secret}: Secret/db: stringData: holds secret values; create the Secret out of band (see SECRETS.md) and reference it by name and key`,
      `${CONTAINER}.env[${n - 4}].value: REPLICA_DB_PASS has a literal value; use valueFrom.secretKeyRef (or $(VAR) of one)`,
      `${CONTAINER}.env[${n - 3}].value: holds what looks like a password in a URL (hu… (7 characters)); reference a Secret key instead, and in a URL interpolate the password as $(VAR) from a secretKeyRef env var`,
    ].sort());
  });

  test("GIVEN Mastodon's public settings whose names look secret (the hCaptcha site key, S3_KEY_PREFIX) THEN they are not reported", () => {
    const cm = 'example/mastodon/ConfigMap.mastodon-env.yaml';
    const objects = withObject('example/x/ConfigMap.unused.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unused', ...META }, data: {} });
    const data = (objects.find((o) => o.file === cm)!.object as any).data;
    Object.assign(data, { HCAPTCHA_SITE_KEY: '10000000-ffff-ffff-ffff-000000000001', S3_KEY_PREFIX: 'media', CACHE_BUSTER_SECRET_HEADER: 'Secret-Header', CAS_UID_KEY: 'user' });
    expect(report(noSecretValues, objects)).toEqual([]);
    data.HCAPTCHA_SECRET_KEY = '0x0000000000000000000000000000000000000000';
    expect(report(noSecretValues, objects)).toEqual([`${cm}: ConfigMap/mastodon-env: data.HCAPTCHA_SECRET_KEY: HCAPTCHA_SECRET_KEY holds a secret (lib/catalog/secret-settings.ts) in a ConfigMap; reference a Secret key instead`]);
  });

  test('GIVEN unpinned images and a pull policy of Always THEN they are reported, also inside custom resources', () => {
    const df = 'example/dragonfly/Dragonfly.dragonfly-cache.yaml';
    const objects = withObject(df, { apiVersion: 'dragonflydb.io/v1alpha1', kind: 'Dragonfly', metadata: { name: 'dragonfly-cache', ...META }, spec: { image: 'docker.dragonflydb.io/dragonflydb/dragonfly' } });
    const web = objects.find((o) => o.file === WEB)!.object as any;
    web.spec.template.spec.containers[0].image = 'ghcr.io/mastodon/mastodon:latest';
    web.spec.template.spec.containers[0].imagePullPolicy = 'Always';
    expect(report(pinnedImages, objects)).toEqual([
      `${CONTAINER}.image: "ghcr.io/mastodon/mastodon:latest" is not pinned: latest moves; pin a release tag or digest`,
      `${CONTAINER}.imagePullPolicy: must be IfNotPresent (a pinned image never changes), not Always`,
      `${df}: Dragonfly/dragonfly-cache: spec.image: "docker.dragonflydb.io/dragonflydb/dragonfly" has no tag (Kubernetes pulls latest); pin a release tag or digest`,
    ]);
  });

  test('GIVEN images pinned by tag or digest, with a registry port THEN they pass', () => {
    expect(imagePinProblem('registry.local:5000/mastodon:v4.7.2')).toBeUndefined();
    expect(imagePinProblem(`ghcr.io/mastodon/mastodon@sha256:${'a'.repeat(64)}`)).toBeUndefined();
    expect(imagePinProblem('registry.local:5000/mastodon')).toMatch(/has no tag/);
  });

  test('GIVEN a container without a CPU request THEN it is reported', () => {
    const objects = withEdit(WEB, (d) => { delete d.spec.template.spec.containers[0].resources.requests.cpu; });
    expect(report(resourceRequests, objects)).toEqual([`${CONTAINER}.resources.requests.cpu: is missing: every container requests cpu`]);
  });

  test('GIVEN a memory request above its limit THEN it is reported; quantities in other units are not judged', () => {
    const objects = withEdit(WEB, (d) => { d.spec.template.spec.containers[0].resources.requests.memory = '4Gi'; });
    expect(report(requestsWithinLimits, objects)).toEqual([`${CONTAINER}.resources.requests.memory: 4Gi is above the limit 1632Mi; a request must not exceed its limit`]);
    const decimal = withEdit(WEB, (d) => { d.spec.template.spec.containers[0].resources.requests.memory = '4G'; });
    expect(report(requestsWithinLimits, decimal)).toEqual([]);
  });
});
