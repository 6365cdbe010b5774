/**
 * The rendered restore drill, run for real: the backup's dump is made by the rendered backup pod,
 * then the drill's containers (scripts and environment from the rendered example) fetch and
 * restore it with Debian's rclone and PostgreSQL, into a throwaway server of their own or into a
 * configured scratch database, and fail loudly on each way a backup can be bad.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadInstance } from '../../lib/app/load';
import { renderRestoreJob } from '../../lib/app/restore';
import { exampleVariant, replaceOnce, tempDir, renderedFiles } from '../helpers';
import { describeWithPostgresAndRclone } from '../programs';
import { MASTODON_TABLES_SQL, ThrowawayPostgres } from '../postgres';
import { podRunner, PodRun } from './pod-runner';

const render = (edit: (t: string) => string = (t) => t) => renderedFiles(exampleVariant({ instance: edit }));
const cronPod = (tree: Map<string, string>, name: string) => parse(tree.get(`variant/operations/CronJob.${name}.yaml`)!).spec.jobTemplate.spec.template.spec;

describeWithPostgresAndRclone()('the rendered restore drill, run with Debian\'s PostgreSQL and rclone', () => {
  const tree = render();
  const drill = cronPod(tree, 'restore-drill');
  const intoScratch = cronPod(render((t) => replaceOnce(t, '    postgresVersion: 17\n', '    postgresVersion: 17\n    restoreDrill: { database: drill_scratch }\n')), 'restore-drill');
  let pg: ThrowawayPostgres;
  let run: (pod: any, overrides?: Record<string, string>) => PodRun;
  let onServer: (pod: any, overrides?: Record<string, string>) => PodRun;
  let vaultDir: string;
  let backupEnv: NodeJS.ProcessEnv;

  beforeAll(() => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o755);
    pg = new ThrowawayPostgres(path.join(dir, 'pg'));
    pg.sql('postgres', 'CREATE DATABASE mastodon_production');
    pg.sql('mastodon_production', `${MASTODON_TABLES_SQL} INSERT INTO statuses SELECT g, 1 + g % 50, 'toot ' || g FROM generate_series(1, 300) g;`);
    const pods = podRunner(path.join(dir, 'pods'));
    run = pods.run;
    // The configured scratch database and the backup reach the test's server.
    onServer = (pod, overrides = {}) => pods.run(pod, { ...pg.env, ...overrides });
    const backup = onServer(cronPod(tree, 'backup-database'), { PGDATABASE: 'mastodon_production' });
    expect(backup.failed).toBeUndefined();
    backupEnv = backup.env('upload');
    vaultDir = path.join(pods.bucketRoot, 'example-social-backups', 'variant', 'database');
  });
  afterAll(() => pg?.stop());

  /** Puts a file into the vault's database folder under `name`, through rclone crypt. */
  const upload = (file: string, name: string) => {
    const r = spawnSync('rclone', ['copyto', file, `vault:database/${name}`], { encoding: 'utf8', env: backupEnv, cwd: path.dirname(path.dirname(path.dirname(vaultDir))) });
    expect(r.stderr).not.toMatch(/ERROR/);
  };
  const removeFromVault = (name: string) => fs.rmSync(path.join(vaultDir, `${name}.bin`));
  const newestDump = () => fs.readdirSync(vaultDir).filter((n) => /^variant-\d{8}T\d{6}Z\.dump\.bin$/.test(n)).sort().pop()!.replace(/\.bin$/, '');

  test('GIVEN the newest dump WHEN the drill runs in its throwaway server THEN pg_restore succeeds and the counts of the key tables are reported', () => {
    const result = run(drill);
    expect(result.failed).toBeUndefined();
    expect(result.logs.restore).toMatch(new RegExp(`restored ${newestDump()} into drill in \\d+ s: schema_migrations=2 accounts=50 users=20 statuses=300`));
  });

  test('GIVEN a dump cut short (pg_restore --list still reads its table of contents) WHEN it is the newest THEN the drill fails on pg_restore\'s exit status', () => {
    const dir = tempDir();
    const whole = path.join(dir, 'whole.dump');
    expect(spawnSync('rclone', ['copyto', `vault:database/${newestDump()}`, whole], { env: backupEnv, cwd: path.dirname(path.dirname(path.dirname(vaultDir))) }).status).toBe(0);
    const bytes = fs.readFileSync(whole);
    const cut = path.join(dir, 'cut.dump');
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.9)));
    expect(spawnSync('pg_restore', ['--list', cut]).status).toBe(0);
    const name = 'variant-20991231T000000Z.dump';
    upload(cut, name);
    try {
      const result = run(drill);
      expect(result.failed).toBe('restore');
      expect(result.logs.restore).toMatch(new RegExp(`RESTORE FAILED: pg_restore of ${name} exited 1`));
    } finally {
      removeFromVault(name);
    }
  });

  test('GIVEN backups that stopped (the newest dump older than maxDumpAgeHours) WHEN the drill runs THEN it fails and says so', () => {
    expect(drill.containers[0].env).toContainEqual({ name: 'MAX_DUMP_AGE_HOURS', value: '12' });
    const result = run(drill, { DUMP_FILE: newestDump(), MAX_DUMP_AGE_HOURS: '12' });
    expect(result.failed).toBeUndefined();
    const old = 'variant-20200101T000000Z.dump';
    fs.copyFileSync(path.join(vaultDir, `${newestDump()}.bin`), path.join(vaultDir, `${old}.bin`));
    try {
      const stale = run(drill, { DUMP_FILE: old });
      expect(stale.failed).toBe('restore');
      expect(stale.logs.restore).toMatch(/RESTORE FAILED: the newest dump, variant-20200101T000000Z\.dump, is \d+ hours old \(at most 12\): are the backups running\?/);
    } finally {
      removeFromVault(old);
    }
  });

  test('GIVEN a dump with too few rows in a key table THEN the drill fails naming the table', () => {
    const result = run(drill, { MIN_ROWS: 'accounts=1 statuses=1000' });
    expect(result.failed).toBe('restore');
    expect(result.logs.restore).toMatch(/RESTORE FAILED: statuses has 300 rows in variant-.*\.dump \(at least 1000\)/);
  });

  test('GIVEN no dump of the instance in the vault THEN the fetch fails', () => {
    const result = run(drill, { DUMP_NAME: 'other' });
    expect(result.failed).toBe('fetch');
    expect(result.logs.fetch).toMatch(/RESTORE FAILED: no dump other-\*\.dump in the vault/);
  });

  test('GIVEN a vault without a database folder yet (rclone exit 3) THEN the fetch says there is no dump', () => {
    const result = run(drill, { RCLONE_CONFIG_VAULT_REMOTE: 'store:empty-bucket/variant' });
    expect(result.failed).toBe('fetch');
    expect(result.logs.fetch).toMatch(/RESTORE FAILED: no dump variant-\*\.dump in the vault/);
  });

  test('GIVEN a vault that cannot be listed THEN the fetch fails and says so', () => {
    const result = run(drill, { RCLONE_CONFIG_STORE_TYPE: 'nosuchbackend' });
    expect(result.failed).toBe('fetch');
    expect(result.logs.fetch).toMatch(/RESTORE FAILED: the vault could not be listed \(rclone exited \d+\)/);
  });

  test('GIVEN restoreDrill.database WHEN the drill runs twice THEN it restores into the empty scratch database, marks it, and restores over its own drill the next time', () => {
    pg.sql('postgres', 'CREATE DATABASE drill_scratch');
    expect(intoScratch.containers[0].env).toContainEqual({ name: 'PGDATABASE', value: 'drill_scratch' });
    for (const attempt of [1, 2]) {
      const result = onServer(intoScratch, { PGDATABASE: 'drill_scratch' });
      expect({ attempt, failed: result.failed, log: result.logs.restore }).toEqual({ attempt, failed: undefined, log: expect.stringMatching(/restored .* into drill_scratch .* statuses=300/) });
    }
    expect(pg.sql('drill_scratch', 'SELECT count(*) FROM mastodon_cdk8s_restore_drill')).toBe('2');
  });

  test('GIVEN a scratch database that holds Mastodon data not from a drill THEN the drill refuses to restore over it', () => {
    const result = onServer(intoScratch, { PGDATABASE: 'mastodon_production' });
    expect(result.failed).toBe('restore');
    expect(result.logs.restore).toMatch(/RESTORE FAILED: database mastodon_production holds Mastodon data: refusing to restore over it/);
    expect(pg.sql('mastodon_production', 'SELECT count(*) FROM statuses')).toBe('300');
  });

  test('GIVEN the one-off restore Job of `mastodon-cdk8s restore` WHEN applied THEN it restores the named dump into the new database, and over the live one only with --clean', () => {
    const loaded = loadInstance(exampleVariant());
    const job = (into: string, clean?: boolean) => parse(renderRestoreJob(loaded, { from: newestDump(), into, clean })).spec.template.spec;
    pg.sql('postgres', 'CREATE DATABASE mastodon_restored');
    const restored = onServer(job('mastodon_restored'), { PGDATABASE: 'mastodon_restored' });
    expect(restored.failed).toBeUndefined();
    expect(pg.sql('mastodon_restored', 'SELECT count(*) FROM statuses')).toBe('300');
    pg.sql('mastodon_production', 'DELETE FROM statuses WHERE id > 100');
    // The script's own guard, behind the command's: a database with Mastodon's tables is not restored over without --clean.
    const guarded = onServer(job('mastodon_restored'), { PGDATABASE: 'mastodon_production' });
    expect(guarded.failed).toBe('restore');
    expect(guarded.logs.restore).toMatch(/holds Mastodon data: refusing to restore over it/);
    const over = onServer(job('mastodon_production', true), { PGDATABASE: 'mastodon_production' });
    expect(over.failed).toBeUndefined();
    expect(pg.sql('mastodon_production', 'SELECT count(*) FROM statuses')).toBe('300');
  });
});
