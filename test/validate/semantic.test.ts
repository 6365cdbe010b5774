import {
  autoscalerTargets, clusterScopedWithoutNamespace, containerPortNames, disruptionBudgetTargets, httpRouteTargets, ingressTargets,
  noDuplicates, selectorsMatchTemplates, semanticChecks, serviceTargets, validNames,
} from '../../lib/validate/semantic';
import { exampleObjects, META, report, WEB, withEdit, withObject } from './fixtures';

const WEB_LABELS = 'app.kubernetes.io/component=web, app.kubernetes.io/instance=example, app.kubernetes.io/managed-by=mastodon-cdk8s, app.kubernetes.io/name=mastodon, app.kubernetes.io/part-of=mastodon, app.kubernetes.io/version=v4.7.2';

describe('semantic checks', () => {
  test('GIVEN the rendered example THEN every semantic check passes', () => {
    const objects = exampleObjects();
    expect(semanticChecks().flatMap((check) => report(check, objects))).toEqual([]);
  });

  test('GIVEN a Deployment whose selector misses its pod labels THEN the selector is reported', () => {
    const objects = withEdit(WEB, (d) => { d.spec.selector.matchLabels['app.kubernetes.io/component'] = 'wbe'; });
    expect(report(selectorsMatchTemplates, objects)).toEqual([
      `${WEB}: Deployment/web: spec.selector: does not select the pod template's labels (${WEB_LABELS}); the API server rejects it`,
    ]);
  });

  test('GIVEN a topology spread constraint selecting other pods THEN it is reported', () => {
    const objects = withEdit(WEB, (d) => { d.spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels['app.kubernetes.io/component'] = 'streaming'; });
    expect(report(selectorsMatchTemplates, objects)).toEqual([
      `${WEB}: Deployment/web: spec.template.spec.topologySpreadConstraints[0].labelSelector: does not select this workload's own pods (${WEB_LABELS}), so it spreads nothing`,
    ]);
  });

  test('GIVEN a Service selecting no pods THEN its selector is reported', () => {
    const file = 'example/mastodon/Service.web.yaml';
    const objects = withEdit(file, (s) => { s.spec.selector['app.kubernetes.io/component'] = 'wbe'; });
    expect(report(serviceTargets, objects)).toEqual([
      `${file}: Service/web: spec.selector: selects no pod template in namespace "mastodon" (app.kubernetes.io/component=wbe, app.kubernetes.io/instance=example, app.kubernetes.io/name=mastodon)`,
    ]);
  });

  test('GIVEN a Service targetPort that no selected container names THEN the known names are listed', () => {
    const file = 'example/mastodon/Service.streaming.yaml';
    const objects = withEdit(file, (s) => { s.spec.ports[0].targetPort = 'streaming'; });
    expect(report(serviceTargets, objects)).toEqual([
      `${file}: Service/streaming: spec.ports[0].targetPort: "streaming" is not a container port name of the selected pods (http)`,
    ]);
  });

  test('GIVEN an Ingress with a missing Service and an unknown port THEN both backends are reported', () => {
    const file = 'example/mastodon/Ingress.web.yaml';
    const objects = withObject(file, {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', ...META },
      spec: { rules: [{ host: 'example.social', http: { paths: [
        { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'https' } } } },
        { path: '/api/v1/streaming', pathType: 'Prefix', backend: { service: { name: 'stream', port: { number: 4000 } } } },
      ] } }] },
    });
    expect(report(ingressTargets, objects)).toEqual([
      `${file}: Ingress/web: spec.rules[0].http.paths[0].backend.service: Service "web" has no port "https"`,
      `${file}: Ingress/web: spec.rules[0].http.paths[1].backend.service: Service "stream" is not rendered in namespace "mastodon"`,
    ]);
  });

  test('GIVEN an HTTPRoute to a wrong port THEN the backendRef is reported', () => {
    const file = 'example/mastodon/HTTPRoute.mastodon.yaml';
    const objects = withObject(file, {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'mastodon', ...META },
      spec: { rules: [{ backendRefs: [{ name: 'web', port: 3000 }, { name: 'streaming', port: 3000 }] }] },
    });
    expect(report(httpRouteTargets, objects)).toEqual([
      `${file}: HTTPRoute/mastodon: spec.rules[0].backendRefs[1]: Service "streaming" has no port 3000`,
    ]);
  });

  test('GIVEN a PodDisruptionBudget selecting nothing THEN it is reported', () => {
    const file = 'example/mastodon/PodDisruptionBudget.web.yaml';
    const objects = withEdit(file, (p) => { p.spec.selector.matchLabels['app.kubernetes.io/instance'] = 'other'; });
    expect(report(disruptionBudgetTargets, objects)).toEqual([
      `${file}: PodDisruptionBudget/web: spec.selector: selects no pod template in namespace "mastodon" (app.kubernetes.io/component=web, app.kubernetes.io/instance=other, app.kubernetes.io/name=mastodon), so it protects nothing`,
    ]);
  });

  test('GIVEN autoscalers of a fixed-size Deployment and of a missing one THEN both are reported', () => {
    const hpa = 'example/mastodon/HorizontalPodAutoscaler.web.yaml';
    const scaled = 'example/mastodon/ScaledObject.sidekiq-push.yaml';
    const objects = [
      ...withObject(hpa, {
        apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', ...META },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 4 },
      }),
      { file: scaled, object: { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'sidekiq-push', ...META }, spec: { scaleTargetRef: { name: 'sidekiq-push' } } } },
    ];
    expect(report(autoscalerTargets, objects)).toEqual([
      `${hpa}: HorizontalPodAutoscaler/web: spec.scaleTargetRef: Deployment "web" sets spec.replicas; Argo CD would reset the autoscaler's count on every sync: leave replicas out`,
      `${scaled}: ScaledObject/sidekiq-push: spec.scaleTargetRef: Deployment "sidekiq-push" is not rendered in namespace "mastodon"`,
    ]);
  });

  test('GIVEN names that are no DNS names THEN object, container and Service port names are reported', () => {
    const svc = 'example/mastodon/Service.web.yaml';
    const objects = withEdit(WEB, (d) => {
      d.metadata.name = 'Web_1';
      d.spec.template.spec.containers[0].name = 'mastodon.web';
    });
    const service = objects.find((o) => o.file === svc)!.object as any;
    service.metadata.name = 'w'.repeat(64);
    service.spec.ports[0].name = 'HTTP';
    expect(report(validNames, objects)).toEqual([
      `${svc}: Service/${'w'.repeat(64)}: metadata.name: "${'w'.repeat(64)}" is not allowed: a DNS label of at most 63 characters (it has 64)`,
      `${svc}: Service/${'w'.repeat(64)}: spec.ports[0].name: "HTTP" is not allowed: a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
      `${WEB}: Deployment/Web_1: metadata.name: "Web_1" is not allowed: a DNS subdomain: lowercase letters, digits and '-' or '.', starting and ending with a letter or digit`,
      `${WEB}: Deployment/Web_1: spec.template.spec.containers[0].name: "mastodon.web" is not allowed: a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
    ].sort());
  });

  test('GIVEN container port names over 15 characters or with a double hyphen THEN they are reported', () => {
    const objects = withEdit(WEB, (d) => {
      d.spec.template.spec.containers[0].ports = [{ name: 'mastodon-web-http', containerPort: 3000 }, { name: 'a--b', containerPort: 3001 }, { name: '9000', containerPort: 9000 }];
    });
    const at = `${WEB}: Deployment/web: spec.template.spec.containers[0].ports`;
    expect(report(containerPortNames, objects)).toEqual([
      `${at}[0].name: "mastodon-web-http" is not allowed: a port name has at most 15 characters`,
      `${at}[1].name: "a--b" is not allowed: a port name has lowercase letters, digits and single '-', at least one letter`,
      `${at}[2].name: "9000" is not allowed: a port name has lowercase letters, digits and single '-', at least one letter`,
    ]);
  });

  test('GIVEN a cluster-scoped object with a namespace THEN it is reported, also for kinds of user CRDs', () => {
    const issuer = 'example/issuers/ClusterIssuer.letsencrypt.yaml';
    const custom = 'example/x/Widget.w.yaml';
    const objects = [
      ...withObject(issuer, { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt', ...META }, spec: {} }),
      { file: custom, object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', ...META } } },
    ];
    expect(report(clusterScopedWithoutNamespace(new Set(['Widget'])), objects)).toEqual([
      `${issuer}: ClusterIssuer/letsencrypt: metadata.namespace: a ClusterIssuer is cluster-scoped and has no namespace; render it in a chart without one`,
      `${custom}: Widget/w: metadata.namespace: a Widget is cluster-scoped and has no namespace; render it in a chart without one`,
    ]);
  });

  test('GIVEN the same object twice THEN the second is reported with the first file', () => {
    const copy = 'example/other/Deployment.web.yaml';
    const objects = exampleObjects();
    objects.push({ file: copy, object: objects.find((o) => o.file === WEB)!.object });
    expect(report(noDuplicates, objects)).toEqual([`${copy}: Deployment/web: metadata.name: duplicates the Deployment in ${WEB}`]);
  });
});
