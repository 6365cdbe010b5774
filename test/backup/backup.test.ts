import { errorOf, exampleVariant, objectAt, renderExample, replaceOnce, renderedFiles } from '../helpers';
import { loadInstance } from '../../lib/app/load';
import { renderInstance } from '../../lib/app/render';
import { buildModel } from '../../lib/model/build';

const DATABASE = 'example/operations/CronJob.backup-database.yaml';
const MEDIA = 'example/operations/CronJob.backup-media.yaml';
const podOf = (cronJob: any) => cronJob.spec.jobTemplate.spec.template.spec;
const envOf = (container: any) => Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

function renderVariant(edit: (text: string) => string, id = 'variant') {
  return renderedFiles(exampleVariant({ instance: edit }, id));
}

describe('database backup', () => {
  // GIVEN the example (backups every 6 hours kept 14 days) WHEN rendered
  const tree = renderExample();
  const cronJob = objectAt(tree, DATABASE);
  const pod = podOf(cronJob);
  const [dump] = pod.initContainers;
  const [upload] = pod.containers;

  test('THEN it is a CronJob that never overlaps, runs in UTC and keeps a short history', () => {
    expect(cronJob.metadata).toMatchObject({ name: 'backup-database', namespace: 'mastodon' });
    expect(cronJob.spec).toMatchObject({
      schedule: '0 */6 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
    });
    expect(cronJob.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 4 * 3600 });
    expect(pod.restartPolicy).toBe('Never');
  });

  test('THEN pg_dump reads the direct connection over TLS with the password from the Secret', () => {
    expect(dump.image).toBe('postgres:17.10-bookworm');
    expect(envOf(dump)).toMatchObject({
      PGHOST: 'private-example-db-do-user-0000000-0.f.db.ondigitalocean.com',
      PGPORT: '25060',
      PGDATABASE: 'mastodon_production',
      PGUSER: 'mastodon',
      PGSSLMODE: 'require',
      PGPASSWORD: { secretKeyRef: { name: 'mastodon-db', key: 'password' } },
    });
    expect(dump.command.slice(0, 2)).toEqual(['/bin/sh', '-ec']);
    expect(dump.command[2]).toMatch(/pg_dump --format=custom/);
    expect(dump.command[2]).toMatch(/pg_restore --list/);
  });

  test('THEN rclone uploads through crypt to the B2 bucket under the instance id, with SSE', () => {
    expect(upload.image).toBe('rclone/rclone:1.75.1');
    expect(envOf(upload)).toMatchObject({
      RCLONE_CONFIG_STORE_TYPE: 's3',
      RCLONE_CONFIG_STORE_ENDPOINT: 'https://s3.us-west-004.backblazeb2.com',
      RCLONE_CONFIG_STORE_SERVER_SIDE_ENCRYPTION: 'AES256',
      RCLONE_CONFIG_STORE_ACCESS_KEY_ID: { secretKeyRef: { name: 'backup-bucket', key: 'access-key-id' } },
      RCLONE_CONFIG_VAULT_TYPE: 'crypt',
      RCLONE_CONFIG_VAULT_REMOTE: 'store:example-social-backups/example',
      RCLONE_CONFIG_VAULT_PASSWORD: { secretKeyRef: { name: 'backup-encryption', key: 'password' } },
      RETENTION_DAYS: '14',
    });
  });

  test('THEN the job itself enforces the retention, and only after the upload', () => {
    const script: string = upload.command[2];
    expect(script).toMatch(/rclone delete vault:database --include '\*\.dump' --min-age "\$\{RETENTION_DAYS\}d"/);
    expect(script.indexOf('rclone copy')).toBeLessThan(script.indexOf('rclone delete'));
  });

  test('THEN both containers run as UID/GID 999 under the restricted profile, with pinned images', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    for (const c of [dump, upload]) {
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.imagePullPolicy).toBe('IfNotPresent');
      expect(c.image).not.toMatch(/:latest$/);
      expect(c.resources.requests).toHaveProperty('memory');
      expect(c.resources.limits).toHaveProperty('memory');
    }
  });

  test('THEN the dump has a bounded scratch volume the scheduler knows about', () => {
    expect(pod.volumes).toContainEqual({ name: 'dump', emptyDir: { sizeLimit: '32Gi' } });
    expect(dump.resources.requests['ephemeral-storage']).toBe('32Gi');
  });

  test('THEN SECRETS.md lists the backup Secrets once each', () => {
    const doc = tree.get('example/SECRETS.md')!;
    expect(doc.match(/`RCLONE_CONFIG_VAULT_PASSWORD`/g)).toHaveLength(1);
    expect(doc).toContain('| `mastodon-db` | `password` | `PGPASSWORD` |');
    expect(doc).toContain('kubectl -n mastodon create secret generic backup-encryption --from-env-file="$HOME/.secrets/example/backup-encryption.env"');
  });

  test('GIVEN postgresVersion 16, an own prefix and no SSE WHEN rendered THEN they are used', () => {
    const files = renderVariant((t) => replaceOnce(replaceOnce(replaceOnce(t,
      'postgresVersion: 17', 'postgresVersion: 16'),
      '    serverSideEncryption: true\n', ''),
      '    bucket: example-social-backups\n', '    bucket: example-social-backups\n    prefix: hosting/example\n'));
    const pod2 = podOf(objectAt(files, 'variant/operations/CronJob.backup-database.yaml'));
    expect(pod2.initContainers[0].image).toBe('postgres:16.14-bookworm');
    const env = envOf(pod2.containers[0]);
    expect(env.RCLONE_CONFIG_VAULT_REMOTE).toBe('store:example-social-backups/hosting/example');
    expect(env).not.toHaveProperty('RCLONE_CONFIG_STORE_SERVER_SIDE_ENCRYPTION');
  });
});

describe('media backup', () => {
  const cronJob = objectAt(renderExample(), MEDIA);
  const [sync] = podOf(cronJob).containers;

  test('THEN the media bucket is synced daily into the vault with the Spaces key', () => {
    expect(cronJob.spec).toMatchObject({ schedule: '30 4 * * *', concurrencyPolicy: 'Forbid', timeZone: 'Etc/UTC' });
    expect(sync.command[2]).toMatch(/^rclone sync "media:\$\{MEDIA_BUCKET\}" vault:media --size-only/);
    expect(envOf(sync)).toMatchObject({
      MEDIA_BUCKET: 'example-social-media',
      RCLONE_CONFIG_MEDIA_ENDPOINT: 'https://nyc3.digitaloceanspaces.com',
      RCLONE_CONFIG_MEDIA_ACCESS_KEY_ID: { secretKeyRef: { name: 'spaces-credentials', key: 'access-key-id' } },
      RCLONE_CONFIG_VAULT_REMOTE: 'store:example-social-backups/example',
    });
  });

  test('GIVEN no storage.s3 THEN the instance is refused (media would land on the read-only root), backups or not', () => {
    const dir = exampleVariant({ instance: (t) => t.replace(/\nstorage:\n(  .*\n)+/, '\n') });
    const message = errorOf(() => renderInstance(loadInstance(dir)));
    expect(message).toMatch(/instance\.yaml:\d+:1: missing required field "storage"; allowed: storage\.s3: media on S3-compatible object storage such as DigitalOcean Spaces .*DigitalOcean block storage cannot be shared by pods on several nodes \(ReadWriteOnce\)/);
  });
});

describe('backup configuration', () => {
  test('GIVEN no backups section and housekeeping off WHEN rendered THEN the operations chart is empty', () => {
    const files = renderVariant((t) => t.slice(0, t.indexOf('\n# Backups as vmst.io')) + '\nmaintenance:\n  mediaRemove: { enabled: false }\n  previewCardsRemove: { enabled: false }\n');
    expect([...files.keys()].filter((f) => f.includes('/operations/'))).toEqual([]);
    expect(files.get('variant/SECRETS.md')).not.toContain('RCLONE');
  });

  test('GIVEN a plain http endpoint THEN only https is allowed', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'endpoint: https://s3.us-west-004', 'endpoint: http://s3.us-west-004') });
    expect(errorOf(() => loadInstance(dir))).toMatch(/instance\.yaml:\d+:15: backups\.destination\.endpoint: "http:\/\/s3\.us-west-004\.backblazeb2\.com" is not allowed; allowed: an https:\/\/ URL without a path/);
  });

  test('GIVEN a schedule that is no cron expression THEN the form is described', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'schedule: "0 */6 * * *"', 'schedule: every 6 hours') });
    expect(errorOf(() => loadInstance(dir))).toMatch(/backups\.database\.schedule: "every 6 hours" is not allowed; allowed: a cron schedule of five fields/);
  });
});

describe('database dump before an upgrade', () => {
  // GIVEN the example (database backups, beforeUpgrade by default) WHEN rendered
  const tree = renderExample();
  const hook = objectAt(tree, 'example/mastodon/Job.db-backup-pre-v4-7-2.yaml');
  const cronPod = podOf(objectAt(tree, DATABASE));
  const pod = hook.spec.template.spec;

  test('THEN it is a Job of the mastodon chart named by the version, labelled pre-upgrade, with the backup\'s time limit and retries', () => {
    expect(hook.metadata.labels).toMatchObject({ 'mastodon-cdk8s.io/backup': 'pre-upgrade', 'app.kubernetes.io/version': 'v4.7.2', 'app.kubernetes.io/component': 'backup' });
    expect(hook.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 4 * 3600 });
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('THEN it reuses the scheduled backup\'s dump and upload: the same containers but for the suffix, no retention, and a check before them', () => {
    const [check, dump] = pod.initContainers;
    expect(check.name).toBe('check');
    expect(envOf(check)).toMatchObject({ DUMP_NAME: 'example', DUMP_SUFFIX: '-pre-v4.7.2' });
    const withoutSuffix = (c: any) => ({ ...c, env: c.env.filter((e: any) => e.name !== 'DUMP_SUFFIX'), command: c.command.map((s: string) => s.replace('if [ -e /backup/taken ]; then exit 0; fi\n', '')) });
    expect(withoutSuffix(dump)).toEqual(cronPod.initContainers[0]);
    expect(envOf(dump).DUMP_SUFFIX).toBe('-pre-v4.7.2');
    const [upload] = pod.containers;
    expect(upload.command[2]).not.toMatch(/rclone delete/);
    expect(upload.env.filter((e: any) => e.name !== 'RETENTION_DAYS')).toEqual(upload.env);
    expect(pod.volumes).toEqual(cronPod.volumes);
  });

  test('GIVEN beforeUpgrade: false WHEN rendered THEN no hook, and the budget no longer counts it', () => {
    const off = (t: string) => replaceOnce(t, '    postgresVersion: 17\n', '    postgresVersion: 17\n    beforeUpgrade: false\n');
    expect([...renderVariant(off).keys()].filter((f) => f.includes('db-backup-pre'))).toEqual([]);
    const directUses = (edit: (t: string) => string) => buildModel(loadInstance(exampleVariant({ instance: edit }))).connections.uses.filter((u) => u.via === 'direct').map((u) => u.name);
    expect(directUses((t) => t)).toContain('db-backup-pre-v4-7-2 hook');
    expect(directUses(off)).not.toContain('db-backup-pre-v4-7-2 hook');
  });

  test('GIVEN no database backups WHEN rendered THEN no hook (there is no vault to dump into)', () => {
    const files = renderVariant((t) => t.slice(0, t.indexOf('\n# Backups as vmst.io')) + '\n');
    expect([...files.keys()].filter((f) => f.includes('db-backup-pre'))).toEqual([]);
  });
});
