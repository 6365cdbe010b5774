import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { EXAMPLE_DIR, exampleVariant, runCli as run, tempDir } from '../helpers';

const DUMP = 'example-20261122T060000Z.dump';
const jobOf = (stdout: string) => {
  const docs = parseAllDocuments(stdout).map((d) => d.toJS());
  expect(docs).toHaveLength(1);
  return docs[0];
};
const envOf = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('mastodon-cdk8s restore', () => {
  test('GIVEN a dump and a new database WHEN run THEN a Job named after the dump is printed, restoring it there over the direct connection', async () => {
    const result = await run(['restore', '--config', EXAMPLE_DIR, '--from', DUMP, '--into', 'mastodon_restored']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const job = jobOf(result.stdout);
    expect(job).toMatchObject({ kind: 'Job', metadata: { name: 'restore-20261122t060000z', namespace: 'mastodon', labels: { 'mastodon-cdk8s.io/backup': 'restore' } }, spec: { backoffLimit: 0 } });
    const pod = job.spec.template.spec;
    expect(envOf(pod.initContainers[0])).toMatchObject({ DUMP_FILE: DUMP, DUMP_NAME: 'example' });
    expect(envOf(pod.containers[0])).toMatchObject({
      PGHOST: 'private-example-db-do-user-0000000-0.f.db.ondigitalocean.com', PGPORT: '25060', PGDATABASE: 'mastodon_restored', PGUSER: 'mastodon', PGSSLMODE: 'require',
      PGPASSWORD: { secretKeyRef: { name: 'mastodon-db', key: 'password' } },
    });
    expect(envOf(pod.containers[0]).RESTORE_CLEAN).toBeUndefined();
    expect(envOf(pod.containers[0]).MAX_DUMP_AGE_HOURS).toBeUndefined();
    // Pure: the same request, the same Job.
    expect((await run(['restore', '--config', EXAMPLE_DIR, '--from', DUMP, '--into', 'mastodon_restored'])).stdout).toBe(result.stdout);
  });

  test('GIVEN no --into THEN the dump is restored into a throwaway server of the pod: a check of that dump', async () => {
    const pod = jobOf((await run(['restore', '--config', EXAMPLE_DIR, '--from', 'example-20261122T060000Z-pre-v4.7.2.dump'])).stdout).spec.template.spec;
    expect(envOf(pod.containers[0])).toMatchObject({ THROWAWAY: 'true' });
  });

  test('GIVEN --instance THEN config/<id>/ is read', async () => {
    const root = tempDir();
    fs.cpSync(EXAMPLE_DIR, path.join(root, 'config', 'example'), { recursive: true });
    const cwd = process.cwd();
    process.chdir(root);
    try {
      expect((await run(['restore', '--instance', 'example', '--from', DUMP])).code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
  });

  test('GIVEN a name that is not one of the instance\'s dumps THEN it is refused with the expected form', async () => {
    const result = await run(['restore', '--config', EXAMPLE_DIR, '--from', 'other-20261122T060000Z.dump']);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe('error: --from: "other-20261122T060000Z.dump" is not a dump of example; expected example-<YYYYMMDDTHHMMSSZ>.dump or example-<YYYYMMDDTHHMMSSZ>-pre-<version>.dump, as `rclone lsf vault:database` lists them\n');
  });

  test('GIVEN the live database without --clean THEN it is refused; with --clean it restores over it', async () => {
    const refused = await run(['restore', '--config', EXAMPLE_DIR, '--from', DUMP, '--into', 'mastodon_production']);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toMatch(/^error: --into: "mastodon_production" is the instance's live database \(database\.direct\.name\): restore into a new empty database, or give --clean/);
    const clean = await run(['restore', '--config', EXAMPLE_DIR, '--from', DUMP, '--into', 'mastodon_production', '--clean']);
    expect(envOf(jobOf(clean.stdout).spec.template.spec.containers[0])).toMatchObject({ RESTORE_CLEAN: 'true', PGDATABASE: 'mastodon_production' });
  });

  test('GIVEN --out THEN the Job is written there, but never inside dist/', async () => {
    const file = path.join(tempDir(), 'restore.yaml');
    const written = await run(['restore', '--config', EXAMPLE_DIR, '--from', DUMP, '--out', file]);
    expect(written).toMatchObject({ code: 0, stdout: '' });
    expect(jobOf(fs.readFileSync(file, 'utf8')).kind).toBe('Job');
    const cwd = process.cwd();
    const repo = tempDir();
    fs.mkdirSync(path.join(repo, 'dist'));
    process.chdir(repo);
    try {
      const inDist = await run(['restore', '--config', EXAMPLE_DIR, '--from', DUMP, '--out', 'dist/restore.yaml']);
      expect(inDist.code).toBe(1);
      expect(inDist.stderr).toBe('error: dist/restore.yaml: is inside dist/: Argo CD would apply the restore at the next sync; write it elsewhere and apply it by hand\n');
      expect(fs.existsSync(path.join(repo, 'dist', 'restore.yaml'))).toBe(false);
    } finally {
      process.chdir(cwd);
    }
  });

  test('GIVEN an instance without database backups THEN there is nothing to restore', async () => {
    const dir = exampleVariant({ instance: (t) => t.slice(0, t.indexOf('\n# Backups as vmst.io')) + '\n' });
    const result = await run(['restore', '--config', dir, '--from', 'variant-20261122T060000Z.dump']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/instance\.yaml: has no backups\.database: there are no dumps to restore/);
  });
});
