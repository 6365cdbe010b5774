import { loadInstance } from '../../lib/app/load';
import { renderInstance } from '../../lib/app/render';
import { mirrored, parseImage } from '../../lib/core/image';
import { exampleVariant, objects, runCli } from '../helpers';

const DIGEST = `sha256:${'a1'.repeat(32)}`;

/** Every rendered object that runs pods, with its pod spec (a Dragonfly: its spec, which the operator copies). */
function podSpecs(images: string): Map<string, any> {
  const loaded = loadInstance(exampleVariant({ instance: (t) => `${t}images:\n${images}` }));
  const out = new Map<string, any>();
  for (const o of objects(renderInstance(loaded).files).values()) {
    const pod = o.kind === 'Dragonfly' ? o.spec : o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
    if (pod) out.set(`${o.kind}/${o.metadata.name}`, pod);
  }
  return out;
}

const imagesOf = (pod: any): string[] => (pod.image ? [pod.image] : [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => c.image));

describe('image references (distribution reference grammar)', () => {
  test.each([
    ['postgres:17.10-bookworm', { registry: 'docker.io', explicitRegistry: false, path: 'library/postgres', tag: '17.10-bookworm' }],
    ['rclone/rclone:1.75.1', { registry: 'docker.io', explicitRegistry: false, path: 'rclone/rclone', tag: '1.75.1' }],
    ['ghcr.io/mastodon/mastodon:v4.7.2', { registry: 'ghcr.io', explicitRegistry: true, path: 'mastodon/mastodon', tag: 'v4.7.2' }],
    [`localhost:5000/m:v1@${DIGEST}`, { registry: 'localhost:5000', explicitRegistry: true, path: 'm', tag: 'v1', digest: DIGEST }],
  ])('%s', (reference, parts) => {
    expect(parseImage(reference)).toEqual(parts);
  });

  test('GIVEN a mirror of Docker Hub THEN an official image is pulled under library/, and another registry is left alone', () => {
    const mirrors = { 'docker.io': 'mirror.example.com/hub/' };
    expect(mirrored('postgres:17.10-bookworm', mirrors)).toBe('mirror.example.com/hub/library/postgres:17.10-bookworm');
    expect(mirrored('ghcr.io/mastodon/mastodon:v4.7.2', mirrors)).toBe('ghcr.io/mastodon/mastodon:v4.7.2');
  });
});

describe('images', () => {
  test('GIVEN registry mirrors and a pull Secret WHEN rendered THEN every image of every pod comes through its mirror and every pod pulls with the Secret', () => {
    const pods = podSpecs('  registryMirrors:\n    ghcr.io: registry.example.com/ghcr\n    docker.io: registry.example.com/hub\n    docker.dragonflydb.io: registry.example.com/dragonfly\n  pullSecrets: [registry-pull]\n');
    expect(pods.size).toBeGreaterThan(10);
    for (const [id, pod] of pods) {
      for (const image of imagesOf(pod)) expect([id, image.startsWith('registry.example.com/')]).toEqual([id, true]);
      expect([id, pod.imagePullSecrets]).toEqual([id, [{ name: 'registry-pull' }]]);
    }
    expect(imagesOf(pods.get('Deployment/web'))).toContain('registry.example.com/ghcr/mastodon/mastodon:v4.7.2');
    expect(imagesOf(pods.get('Deployment/streaming'))).toEqual(['registry.example.com/ghcr/mastodon/mastodon-streaming:v4.7.2']);
    expect(imagesOf(pods.get('CronJob/backup-database'))).toEqual(['registry.example.com/hub/library/postgres:17.10-bookworm', 'registry.example.com/hub/rclone/rclone:1.75.1']);
    expect(imagesOf(pods.get('Dragonfly/dragonfly-cache'))).toEqual(['registry.example.com/dragonfly/dragonflydb/dragonfly:v1.40.1']);
  });

  test('GIVEN a fork (glitch-soc) with a build tag and digests WHEN rendered THEN web, Sidekiq and jobs run repository:tag@digest, streaming its own', () => {
    const pods = podSpecs(`  mastodon: { repository: ghcr.io/glitch-soc/mastodon, tag: nightly.2026-08-08, digest: "${DIGEST}" }\n  streaming: { repository: ghcr.io/glitch-soc/mastodon-streaming, tag: nightly.2026-08-08, digest: "sha256:${'b2'.repeat(32)}" }\n`);
    const fork = `ghcr.io/glitch-soc/mastodon:nightly.2026-08-08@${DIGEST}`;
    for (const id of ['Deployment/web', 'Deployment/sidekiq-default', 'Job/db-migrate-pre', 'CronJob/maintenance-media-remove']) {
      expect([id, [...new Set(imagesOf(pods.get(id)))]]).toEqual([id, [fork]]);
    }
    expect(imagesOf(pods.get('Deployment/streaming'))).toEqual([`ghcr.io/glitch-soc/mastodon-streaming:nightly.2026-08-08@sha256:${'b2'.repeat(32)}`]);
    expect(pods.get('Deployment/web').imagePullSecrets).toBeUndefined();
  });

  test('GIVEN a digest pin of another release than mastodon.version WHEN synthesized THEN refused at the tag, naming both', async () => {
    const dir = exampleVariant({ instance: (t) => `${t}images:\n  mastodon:\n    tag: v4.7.1\n    digest: "${DIGEST}"\n` });
    const result = await runCli(['synth', '--config', dir, '--out', `${dir}-dist`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/instance\.yaml:\d+:10: images\.mastodon\.tag: v4\.7\.1 is not allowed: mastodon\.version is v4\.7\.2, so the digest pins another release than the one rendered; allowed: v4\.7\.2 \(or leave tag out\), or change mastodon\.version/);
  });

  test('GIVEN a moving tag without a digest WHEN synthesized THEN refused; and a digest that is not sha256 is refused by the schema', async () => {
    const moving = exampleVariant({ instance: (t) => `${t}images:\n  streaming: { tag: nightly }\n  rclone: { tag: latest }\n` }, 'moving');
    const result = await runCli(['synth', '--config', moving, '--out', `${moving}-dist`]);
    expect(result.stderr).toMatch(/images\.streaming\.tag: nightly is not allowed without a digest: it is not a release/);
    expect(result.stderr).toMatch(/images\.rclone\.tag: latest is not allowed without a digest: it moves/);
    const short = exampleVariant({ instance: (t) => `${t}images:\n  mastodon: { digest: "sha256:abc" }\n` }, 'short');
    const bad = await runCli(['synth', '--config', short, '--out', `${short}-dist`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/images\.mastodon\.digest: "sha256:abc" is not allowed.*allowed: sha256: and 64 lowercase hex digits/);
  });
});
