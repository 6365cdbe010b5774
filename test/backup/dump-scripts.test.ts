/**
 * The rendered database dump pods, run for real: their container scripts and environment from the
 * rendered example, with Debian's pg_dump/pg_restore against a throwaway PostgreSQL and Debian's
 * rclone on a local folder standing in for the bucket (the crypt remote as rendered).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { exampleVariant, replaceOnce, tempDir, renderedFiles } from '../helpers';
import { describeWithPostgresAndRclone } from '../programs';
import { MASTODON_TABLES_SQL, ThrowawayPostgres } from '../postgres';
import { podRunner, PodRun } from './pod-runner';

describeWithPostgresAndRclone()('the rendered database dumps, run with Debian\'s PostgreSQL and rclone', () => {
  const tree = renderedFiles(exampleVariant());
  const hook = parse(tree.get('variant/mastodon/Job.db-backup-pre-v4-7-2.yaml')!).spec.template.spec;
  const cron = parse(tree.get('variant/operations/CronJob.backup-database.yaml')!).spec.jobTemplate.spec.template.spec;
  let pg: ThrowawayPostgres;
  let run: (pod: any, overrides?: Record<string, string>) => PodRun;
  let bucketDir: string;

  beforeAll(() => {
    const dir = tempDir();
    // mkdtemp's 0700 would keep the non-root user of the server and scripts out.
    fs.chmodSync(dir, 0o755);
    pg = new ThrowawayPostgres(path.join(dir, 'pg'));
    pg.sql('postgres', 'CREATE DATABASE mastodon_production');
    pg.sql('mastodon_production', MASTODON_TABLES_SQL);
    const runner = podRunner(path.join(dir, 'pods'), { ...pg.env, PGDATABASE: 'mastodon_production' });
    run = runner.run;
    bucketDir = path.join(runner.bucketRoot, 'example-social-backups', 'variant', 'database');
  });
  afterAll(() => pg?.stop());

  const stored = () => (fs.existsSync(bucketDir) ? fs.readdirSync(bucketDir).sort() : []);

  test('GIVEN an empty vault WHEN the pre-upgrade hook runs THEN it dumps once, named by its version, encrypted in the bucket and restorable through the vault', () => {
    const first = run(hook);
    expect(first.failed).toBeUndefined();
    expect(stored()).toEqual([expect.stringMatching(/^variant-\d{8}T\d{6}Z-pre-v4\.7\.2\.dump\.bin$/)]);
    const name = stored()[0].replace(/\.bin$/, '');
    // rclone crypt: the stored bytes are not a PostgreSQL archive; through the vault they are.
    expect(fs.readFileSync(path.join(bucketDir, stored()[0])).subarray(0, 5).toString()).not.toBe('PGDMP');
    const toc = spawnSync('sh', ['-ec', `rclone cat vault:database/${name} | pg_restore --list`], { encoding: 'utf8', env: first.env('upload'), cwd: first.cwd });
    expect(toc.status).toBe(0);
    expect(toc.stdout).toMatch(/TABLE public accounts/);
  });

  test('GIVEN the version\'s dump in the vault WHEN the hook runs again (the next sync) THEN it finds it and dumps nothing', () => {
    const again = run(hook);
    expect(again.failed).toBeUndefined();
    expect(again.logs.check).toMatch(/the vault already holds this dump, nothing to do: variant-.*-pre-v4\.7\.2\.dump/);
    expect(stored()).toHaveLength(1);
  });

  test('GIVEN the scheduled backup WHEN it runs THEN it adds a dump without suffix and deletes only dumps past the retention', () => {
    const old = 'variant-20200101T000000Z.dump.bin';
    fs.copyFileSync(path.join(bucketDir, stored()[0]), path.join(bucketDir, old));
    const past = new Date(Date.now() - 20 * 86400_000);
    fs.utimesSync(path.join(bucketDir, old), past, past);
    expect(run(cron).failed).toBeUndefined();
    const names = stored();
    expect(names).toHaveLength(2);
    expect(names).not.toContain(old);
    expect(names.filter((n) => /^variant-\d{8}T\d{6}Z\.dump\.bin$/.test(n))).toHaveLength(1);
  });

  test('GIVEN a database that cannot be dumped WHEN the hook of a new version runs THEN the pod fails in its dump and nothing reaches the vault', () => {
    const before = stored();
    const v473 = renderedFiles(exampleVariant({ instance: (t) => replaceOnce(t, 'version: v4.7.2', 'version: v4.7.3') }));
    const result = run(parse(v473.get('variant/mastodon/Job.db-backup-pre-v4-7-3.yaml')!).spec.template.spec, { PGDATABASE: 'no_such_database' });
    expect(result.failed).toBe('dump');
    expect(result.logs.dump).toMatch(/database "no_such_database" does not exist/);
    expect(stored()).toEqual(before);
  });

  test('GIVEN a vault that cannot be listed WHEN the hook runs THEN its check fails, before any dump', () => {
    const result = run(hook, { RCLONE_CONFIG_STORE_TYPE: 'nosuchbackend' });
    expect(result.failed).toBe('check');
    expect(result.logs.dump).toBeUndefined();
  });
});
