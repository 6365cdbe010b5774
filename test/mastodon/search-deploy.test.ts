import { exampleVariant, objectAt, renderExample, replaceOnce, renderedFiles } from '../helpers';

const JOB = 'example/search/Job.search-deploy-1.yaml';

function render(edit: (text: string) => string) {
  return renderedFiles(exampleVariant({ instance: edit }));
}

describe('tootctl search deploy', () => {
  // GIVEN the example with OpenSearch WHEN rendered
  const job = objectAt(renderExample(), JOB);
  const container = job.spec.template.spec.containers[0];

  test('THEN a Job named for the reindex key (1 by default) runs tootctl search deploy with tootctl\'s defaults', () => {
    expect(container.command).toEqual(['bin/tootctl', 'search', 'deploy', '--concurrency', '5', '--batch-size', '100']);
    expect(container.image).toBe('ghcr.io/mastodon/mastodon:v4.7.2');
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  test('THEN it is a plain Job, not a hook (Argo CD runs hooks at every sync), left out of its Application\'s health', () => {
    expect(job.metadata.annotations).toEqual({ 'argocd.argoproj.io/ignore-healthcheck': 'true' });
  });

  test('GIVEN a version bump or a config change WHEN rendered THEN the Job keeps its name; GIVEN a new reindex key THEN it is renamed', () => {
    const names = (files: Map<string, string>) => [...files.keys()].filter((f) => f.includes('search-deploy'));
    expect(names(render((t) => replaceOnce(t, 'version: v4.7.2', 'version: v4.7.3')))).toEqual(['variant/search/Job.search-deploy-1.yaml']);
    expect(names(render((t) => replaceOnce(t, 'logLevel: warn', 'logLevel: info')))).toEqual(['variant/search/Job.search-deploy-1.yaml']);
    expect(names(render((t) => replaceOnce(t, '  password: { name: opensearch, key: password }\n', '  password: { name: opensearch, key: password }\n  deploy: { reindex: 2026-12-01 }\n')))).toEqual(['variant/search/Job.search-deploy-2026-12-01.yaml']);
  });

  test('GIVEN a reindex key that is no DNS label WHEN loaded THEN what is allowed is said', () => {
    expect(() => render((t) => replaceOnce(t, '  password: { name: opensearch, key: password }\n', '  password: { name: opensearch, key: password }\n  deploy: { reindex: Second Run }\n'))).toThrow(/search\.deploy\.reindex: "Second Run" is not allowed; allowed: lowercase letters, digits and '-'/);
  });

  test('THEN its settings come from the ConfigMap, which the mastodon Application (an earlier wave) creates', () => {
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'mastodon-env' } }]);
    expect(container.env.find((e: any) => e.name === 'ES_PASS').valueFrom).toEqual({ secretKeyRef: { name: 'opensearch', key: 'password' } });
    // Literal values only for the secret-interpolated URLs and the pod's own layout (TMPDIR, bootsnap).
    expect(container.env.every((e: any) => e.valueFrom !== undefined || /REDIS_URL$|^TMPDIR$|^BOOTSNAP_READONLY$/.test(e.name))).toBe(true);
  });

  test('GIVEN concurrency and batch size WHEN rendered THEN they are passed on', () => {
    const files = render((t) => replaceOnce(t, '  password: { name: opensearch, key: password }\n', '  password: { name: opensearch, key: password }\n  deploy: { concurrency: 8, batchSize: 500 }\n'));
    expect(objectAt(files, 'variant/search/Job.search-deploy-1.yaml').spec.template.spec.containers[0].command)
      .toEqual(['bin/tootctl', 'search', 'deploy', '--concurrency', '8', '--batch-size', '500']);
  });

  test('GIVEN the Job disabled, or no search, WHEN rendered THEN there is none', () => {
    const disabled = render((t) => replaceOnce(t, '  password: { name: opensearch, key: password }\n', '  password: { name: opensearch, key: password }\n  deploy: { enabled: false }\n'));
    const noSearch = render((t) => t.replace(/\nsearch:\n(  .*\n)+/, '\n'));
    for (const files of [disabled, noSearch]) expect([...files.keys()].filter((f) => f.includes('search-deploy'))).toEqual([]);
  });
});
