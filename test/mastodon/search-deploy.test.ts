import { loadInstance } from '../../lib/config/load';
import { renderInstance } from '../../lib/render/render';
import { exampleVariant, objectAt, renderExample, replaceOnce } from '../helpers';

const JOB = 'example/mastodon/Job.search-deploy-v4-7-2.yaml';

function render(edit: (text: string) => string) {
  return renderInstance(loadInstance(exampleVariant({ instance: edit }))).files;
}

describe('tootctl search deploy', () => {
  // GIVEN the example with OpenSearch WHEN rendered
  const job = objectAt(renderExample(), JOB);
  const container = job.spec.template.spec.containers[0];

  test('THEN a Job named for the version runs tootctl search deploy with tootctl\'s defaults', () => {
    expect(container.command).toEqual(['bin/tootctl', 'search', 'deploy', '--concurrency', '5', '--batch-size', '100']);
    expect(container.image).toBe('ghcr.io/mastodon/mastodon:v4.7.2');
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  test('THEN it is a PostSync hook after the migrations, kept when done so it runs once per version', () => {
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PostSync',
      'argocd.argoproj.io/hook-delete-policy': 'HookFailed',
      'argocd.argoproj.io/sync-wave': '1',
    });
  });

  test('THEN its settings come from the ConfigMap, which exists by PostSync', () => {
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'mastodon-env' } }]);
    expect(container.env.find((e: any) => e.name === 'ES_PASS').valueFrom).toEqual({ secretKeyRef: { name: 'opensearch', key: 'password' } });
    // Literal values only for the secret-interpolated URLs and the pod's own layout (TMPDIR, bootsnap).
    expect(container.env.every((e: any) => e.valueFrom !== undefined || /REDIS_URL$|^TMPDIR$|^BOOTSNAP_READONLY$/.test(e.name))).toBe(true);
  });

  test('GIVEN concurrency and batch size WHEN rendered THEN they are passed on', () => {
    const files = render((t) => replaceOnce(t, '  password: { name: opensearch, key: password }\n', '  password: { name: opensearch, key: password }\n  deploy: { concurrency: 8, batchSize: 500 }\n'));
    expect(objectAt(files, 'variant/mastodon/Job.search-deploy-v4-7-2.yaml').spec.template.spec.containers[0].command)
      .toEqual(['bin/tootctl', 'search', 'deploy', '--concurrency', '8', '--batch-size', '500']);
  });

  test('GIVEN the Job disabled, or no search, WHEN rendered THEN there is none', () => {
    const disabled = render((t) => replaceOnce(t, '  password: { name: opensearch, key: password }\n', '  password: { name: opensearch, key: password }\n  deploy: { enabled: false }\n'));
    const noSearch = render((t) => t.replace(/\nsearch:\n(  .*\n)+/, '\n'));
    for (const files of [disabled, noSearch]) expect([...files.keys()].filter((f) => f.includes('search-deploy'))).toEqual([]);
  });
});
