/**
 * Upstream behaviour the off-site copies of the Dragonflies rely on (backups.redis), read at
 * dragonflydb/dragonfly@v1.40.1 (the pinned image) and dragonfly-operator@v1.6.1, checked on the
 * rendered example. The save script runs against a stand-in redis-cli; the retention with
 * Debian's rclone on a local folder standing in for the bucket.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { exampleVariant, replaceOnce, tempDir, renderedFiles } from '../helpers';
import { describeWithPostgresAndRclone } from '../programs';

/** The example with off-site copies (backups.redis, defaults). */
const tree = new Map([...renderedFiles(exampleVariant({ instance: (t) => replaceOnce(t, '  media:\n    schedule: "30 4 * * *"\n', '  media:\n    schedule: "30 4 * * *"\n  redis: {}\n') }, 'example'))]);
const cronJob = (role: string) => parse(tree.get(`example/operations/CronJob.backup-redis-${role}.yaml`)!);
const podOf = (role: string) => cronJob(role).spec.jobTemplate.spec.template.spec;
const envOf = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
const dragonfly = (role: string) => parse(tree.get(`example/data/Dragonfly.dragonfly-${role}.yaml`)!);

describe('Dragonfly v1.40.1 saving the rendered off-site copies', () => {
  test('GIVEN backups.redis THEN every Dragonfly with snapshots gets a CronJob, the cache none', () => {
    expect([...tree.keys()].filter((f) => f.includes('CronJob.backup-redis-')).sort())
      .toEqual(['example/operations/CronJob.backup-redis-mastodon.yaml', 'example/operations/CronJob.backup-redis-sidekiq.yaml']);
    expect(cronJob('mastodon').spec).toMatchObject({ schedule: '17 * * * *', concurrencyPolicy: 'Forbid', timeZone: 'Etc/UTC' });
  });

  for (const role of ['mastodon', 'sidekiq']) {
    test(`server_family.cc:2397-2436, save_stages_controller.cc:64-95, 404-412: ${role}'s save is SAVE DF <s3 URI> <basename>, the basename without extension or folder`, () => {
      const [save] = podOf(role).initContainers;
      expect(save.command[2]).toMatch(/redis-cli -h "\$DRAGONFLY_HOST" -p 6379 SAVE DF "\$SNAPSHOT_URI" "\$SNAPSHOT_BASENAME"/);
      const env = envOf(save);
      // IsS3Path: the s3:// scheme makes the second argument the cloud URI, the third the basename.
      expect(env.SNAPSHOT_URI).toBe(`s3://example-social-backups/example/redis/${role}`);
      expect(env.SNAPSHOT_BASENAME).toBe(`${role}-{timestamp}`);
      expect(path.extname(env.SNAPSHOT_BASENAME)).toBe('');
      expect(env.SNAPSHOT_BASENAME).not.toContain('/');
      expect(env.REDISCLI_AUTH).toEqual({ secretKeyRef: { name: 'dragonfly-auth', key: 'password' } });
    });

    test(`operator resources.go:594-597: ${role}'s save goes to the Dragonfly's Service, which selects the master only`, () => {
      expect(envOf(podOf(role).initContainers[0]).DRAGONFLY_HOST).toBe(dragonfly(role).metadata.name);
    });

    test(`server_family.cc:141-142, 305-315: ${role}'s server has the S3 endpoint (host, https by default) and the keys from a required Secret (a server without keys exits at SAVE)`, () => {
      const spec = dragonfly(role).spec;
      expect(spec.args).toContain('--s3_endpoint=s3.us-west-004.backblazeb2.com');
      expect(spec.env).toEqual([
        { name: 'AWS_REGION', value: 'us-west-004' },
        { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'backup-bucket', key: 'access-key-id' } } },
        { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'backup-bucket', key: 'secret-access-key' } } },
      ]);
      // operator resources.go:361-418: a snapshot.dir would go to every pod and exclude the volume; the volume stays.
      expect(spec.snapshot.dir).toBeUndefined();
      expect(spec.snapshot.persistentVolumeClaimSpec).toBeDefined();
    });

    test(`tools/packaging/Dockerfile.ubuntu-prod:23,25: ${role}'s save runs redis-cli of the server's image, as its user 999`, () => {
      const pod = podOf(role);
      expect(pod.initContainers[0].image).toBe(dragonfly(role).spec.image);
      expect(pod.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, runAsNonRoot: true });
    });

    test(`no DeleteObject in src/ at v1.40.1: ${role}'s retention deletes the copies of the saved folder, after the save`, () => {
      const [retention] = podOf(role).containers;
      expect(retention.command[2]).toMatch(/rclone delete "store:\$SNAPSHOT_FOLDER" --include '\*\.dfs' --min-age "\$\{RETENTION_DAYS\}d"/);
      expect(`s3://${envOf(retention).SNAPSHOT_FOLDER}`).toBe(envOf(podOf(role).initContainers[0]).SNAPSHOT_URI);
      expect(envOf(retention).RETENTION_DAYS).toBe('7');
    });
  }

  test('GIVEN the save\'s reply WHEN it is OK THEN the pod goes on; WHEN it is an error THEN the pod fails with it', () => {
    const dir = tempDir();
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    // A stand-in for redis-cli: records its arguments and prints the reply it is given.
    fs.writeFileSync(path.join(bin, 'redis-cli'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGS_FILE"\nprintf "%s\\n" "$REPLY_TEXT"\n', { mode: 0o755 });
    const save = podOf('mastodon').initContainers[0];
    const run = (reply: string) => spawnSync('/bin/sh', ['-ec', save.command[2]], {
      encoding: 'utf8',
      env: { ...Object.fromEntries(Object.entries(envOf(save)).filter(([, v]) => typeof v === 'string')), REDISCLI_AUTH: 'x', PATH: `${bin}:/usr/bin:/bin`, ARGS_FILE: path.join(dir, 'args'), REPLY_TEXT: reply },
    });
    const ok = run('OK');
    expect(ok.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'args'), 'utf8').split('\n').filter(Boolean))
      .toEqual(['-h', 'dragonfly-mastodon', '-p', '6379', 'SAVE', 'DF', 's3://example-social-backups/example/redis/mastodon', 'mastodon-{timestamp}']);
    const failed = run('ERR SAVING - can not save database');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/SAVE to s3:\/\/example-social-backups\/example\/redis\/mastodon failed: ERR SAVING/);
  });
});

describeWithPostgresAndRclone()('the rendered retention of the off-site copies, run with Debian\'s rclone', () => {
  test('GIVEN copies older and newer than retentionDays THEN only the old ones are deleted, and nothing outside the role\'s folder', () => {
    const dir = tempDir();
    const folder = path.join(dir, 'example-social-backups', 'example', 'redis', 'mastodon');
    const other = path.join(dir, 'example-social-backups', 'example', 'database');
    fs.mkdirSync(folder, { recursive: true });
    fs.mkdirSync(other, { recursive: true });
    const old = new Date(Date.now() - 8 * 86400_000);
    for (const f of ['mastodon-2026-11-01T00:17:00-summary.dfs', 'mastodon-2026-11-01T00:17:00-0000.dfs']) {
      fs.writeFileSync(path.join(folder, f), 'x');
      fs.utimesSync(path.join(folder, f), old, old);
    }
    fs.writeFileSync(path.join(folder, 'mastodon-2026-11-30T14:17:00-summary.dfs'), 'x');
    fs.writeFileSync(path.join(other, 'example-20261101T000000Z.dump.bin'), 'x');
    fs.utimesSync(path.join(other, 'example-20261101T000000Z.dump.bin'), old, old);
    const [retention] = podOf('mastodon').containers;
    const r = spawnSync('/bin/sh', ['-ec', retention.command[2]], {
      encoding: 'utf8', cwd: dir,
      env: { PATH: process.env.PATH, RCLONE_CONFIG: path.join(dir, 'rclone.conf'), RCLONE_CONFIG_STORE_TYPE: 'local', SNAPSHOT_FOLDER: envOf(retention).SNAPSHOT_FOLDER, RETENTION_DAYS: envOf(retention).RETENTION_DAYS },
    });
    expect(r.status).toBe(0);
    expect(fs.readdirSync(folder)).toEqual(['mastodon-2026-11-30T14:17:00-summary.dfs']);
    expect(fs.readdirSync(other)).toEqual(['example-20261101T000000Z.dump.bin']);
  });
});

describe('without backups.redis', () => {
  test('THEN no CronJob, and the Dragonflies get neither S3 settings nor keys', () => {
    const plain = renderedFiles(exampleVariant());
    expect([...plain.keys()].filter((f) => f.includes('backup-redis'))).toEqual([]);
    for (const role of ['mastodon', 'sidekiq', 'cache']) {
      const spec = parse(plain.get(`variant/data/Dragonfly.dragonfly-${role}.yaml`)!).spec;
      expect(spec.env).toBeUndefined();
      expect(spec.args.filter((a: string) => a.startsWith('--s3'))).toEqual([]);
    }
  });
});
