import * as path from 'node:path';
import { goPattern, loadSchemas, schemaCheck, SchemaSet } from '../../lib/validate/schema';
import { defaultSchemaCacheDir } from '../../lib/validate/schema-cache';
import { describeWithShared, K8S_SCHEMA, SHARED_CRDS as CRDS } from '../shared';
import { exampleObjects, META, report, WEB, withEdit, withObject } from './fixtures';

describeWithShared('schema checks against Kubernetes 1.33 and the CRDs', () => {
  let schemas: SchemaSet;
  // The CLI's validator cache: compiled once per machine (test/validate/schema-cache.test.ts holds it equal to a compile).
  beforeAll(() => { schemas = loadSchemas({ k8sSchemaFile: K8S_SCHEMA, crdDir: CRDS, cacheDir: defaultSchemaCacheDir() }); });
  const check = () => schemaCheck(schemas);

  test('GIVEN the rendered example THEN every object matches its schema', () => {
    expect(report(check(), exampleObjects())).toEqual([]);
  });

  test('GIVEN unknown fields, a wrong type, a bad int-or-string and a missing field THEN each is reported', () => {
    const objects = withEdit(WEB, (d) => {
      d.spec.replica = 2;
      d.spec.template.spec.topologySpreadConstraints[0].maxSkew = 'one';
      d.spec.template.spec.containers[0].livenessProbe.tcpSocket.port = true;
      delete d.spec.template.spec.containers[0].name;
    });
    const at = `${WEB}: Deployment/web: spec`;
    expect(report(check(), objects).sort()).toEqual([
      `${at}.replica: unknown field "replica"`,
      `${at}.template.spec.containers[0]: missing required field "name"`,
      `${at}.template.spec.containers[0].livenessProbe.tcpSocket.port: true is not allowed: must be string or integer`,
      `${at}.template.spec.topologySpreadConstraints[0].maxSkew: "one" is not allowed: must be integer`,
    ].sort());
  });

  test('GIVEN a custom resource with an unknown field THEN its CRD schema reports it, metadata included', () => {
    const file = 'example/dragonfly/Dragonfly.dragonfly-cache.yaml';
    const objects = withObject(file, {
      apiVersion: 'dragonflydb.io/v1alpha1', kind: 'Dragonfly', metadata: { name: 'dragonfly-cache', labelz: {}, ...META },
      spec: { replicas: 2, snapshots: { cron: '* * * * *' } },
    });
    expect(report(check(), objects)).toEqual([
      `${file}: Dragonfly/dragonfly-cache: metadata.labelz: unknown field "labelz"`,
      `${file}: Dragonfly/dragonfly-cache: spec.snapshots: unknown field "snapshots"`,
    ]);
  });

  test('GIVEN free-form and int-or-string fields of a CRD THEN they are accepted, and a wrong type is not', () => {
    const file = 'example/argocd/Application.example.yaml';
    const app = (count: unknown) => ({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'example', namespace: 'argocd' },
      spec: {
        project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'mastodon' },
        source: { repoURL: 'https://example.org/repo.git', helm: { valuesObject: { any: { nested: ['thing'] } } }, kustomize: { replicas: [{ name: 'web', count }] } },
      },
    });
    expect(report(check(), withObject(file, app('3')))).toEqual([]);
    expect(report(check(), withObject(file, app(3)))).toEqual([]);
    expect(report(check(), withObject(file, app(true)))).toEqual([
      `${file}: Application/example: spec.source.kustomize.replicas[0].count: true is not allowed: must be integer or string`,
    ]);
  });

  test('GIVEN a kind no schema describes THEN it is an error naming the options', () => {
    const file = 'example/x/Widget.w.yaml';
    const objects = withObject(file, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', ...META } });
    expect(report(check(), objects)).toEqual([
      `${file}: Widget/w: no schema for example.com/v1 Widget; pass the Kubernetes definitions with --k8s-schema and its CRD with --crds`,
    ]);
  });

  test('GIVEN the CRDs (../shared: SOURCES.md; .schemas/: the ones cdk8s.yaml pins) THEN exactly their cluster-scoped kinds are known', () => {
    const expected = CRDS.endsWith(`.schemas${path.sep}crds`) ? ['ClusterIssuer'] : ['ClusterIssuer', 'ClusterSecretStore', 'GatewayClass'];
    expect([...schemas.clusterScoped].sort()).toEqual(expected);
  });
});

describe('Go regular expressions of CRD patterns', () => {
  // prometheus-operator v0.93 monitoring.coreos.com_prometheusrules.yaml: `pattern: ^(?i)(abort|warn)?$` (RE2 inline flag).
  test('GIVEN (?i) THEN the letters after it match either case, as in RE2, and the rest is kept', () => {
    const re = new RegExp(goPattern('^(?i)(abort|warn)?$'), 'u');
    expect(['abort', 'WARN', 'Abort', ''].map((s) => re.test(s))).toEqual([true, true, true, true]);
    expect(['abortx', 'fail'].map((s) => re.test(s))).toEqual([false, false]);
    expect(goPattern('^x(?i)y[a-c]\\d$')).toBe('^x[yY][a-c]\\d$');
    expect(goPattern('^[a-z]+$')).toBe('^[a-z]+$');
  });
});
