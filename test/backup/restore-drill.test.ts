import * as fs from 'node:fs';
import * as path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { loadInstance } from '../../lib/app/load';
import { buildModel } from '../../lib/model/build';
import { errorOf, exampleVariant, objectAt, renderExample, REPO, replaceOnce } from '../helpers';

const DRILL = 'example/operations/CronJob.restore-drill.yaml';
/** The example with `restoreDrill` (a flow map) under backups.database. */
const withDrill = (drill: string, edit: (t: string) => string = (t) => t) =>
  exampleVariant({ instance: (t) => replaceOnce(edit(t), '    postgresVersion: 17\n', `    postgresVersion: 17\n    restoreDrill: ${drill}\n`) });

describe('restore drill', () => {
  // GIVEN the example (database backups every 6 hours) WHEN rendered
  const cronJob = objectAt(renderExample(), DRILL);
  const pod = cronJob.spec.jobTemplate.spec.template.spec;
  const [fetch] = pod.initContainers;
  const [restore] = pod.containers;
  const env = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

  test('THEN a weekly CronJob, clear of the backups, that fails once and is not retried', () => {
    expect(cronJob.metadata.labels).toMatchObject({ 'mastodon-cdk8s.io/backup': 'restore-drill' });
    expect(cronJob.spec).toMatchObject({ schedule: '0 7 * * 1', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', failedJobsHistoryLimit: 3 });
    expect(cronJob.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 4 * 3600 });
  });

  test('THEN it fetches the newest dump through the vault and restores it into a throwaway server with the backup\'s PostgreSQL version', () => {
    expect(fetch.image).toMatch(/^rclone\/rclone:/);
    expect(env(fetch)).toMatchObject({ DUMP_NAME: 'example', RCLONE_CONFIG_VAULT_REMOTE: 'store:example-social-backups/example' });
    expect(env(fetch).DUMP_FILE).toBeUndefined();
    expect(restore.image).toBe('postgres:17.10-bookworm');
    expect(env(restore)).toEqual({ THROWAWAY: 'true', DRILL: 'true', MAX_DUMP_AGE_HOURS: '12', MIN_ROWS: 'accounts=1 users=1 statuses=1', RESTORE_JOBS: '2' });
    expect(restore.resources.requests).toMatchObject({ cpu: 2, memory: '1Gi' });
  });

  test('THEN its scratch space is a volume of its own (4 × maxDumpSize), deleted with the pod, under the restricted profile', () => {
    expect(pod.volumes[0]).toEqual({ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'do-block-storage', resources: { requests: { storage: '128Gi' } } } } } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999 });
    expect(restore.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('THEN a throwaway server costs the production cluster no connection', () => {
    expect(buildModel(loadInstance(exampleVariant())).connections.uses.map((u) => u.name)).not.toContain('restore-drill job');
  });

  test('GIVEN a scratch database WHEN rendered THEN it restores there directly, counted as jobs + 1 direct connections', () => {
    const model = buildModel(loadInstance(withDrill('{ database: drill_scratch, jobs: 3 }')));
    expect(model.jobs.restoreDrill?.database).toMatchObject({ name: 'drill_scratch', port: 25060, user: 'mastodon' });
    expect(model.connections.uses.find((u) => u.name === 'restore-drill job')).toEqual({ name: 'restore-drill job', connections: 4, formula: 'pg_restore --jobs 3 + 1', via: 'direct' });
  });

  test('GIVEN the production database as the scratch one THEN it is refused', () => {
    expect(errorOf(() => loadInstance(withDrill('{ database: mastodon_production }'))))
      .toMatch(/backups\.database\.restoreDrill\.database: "mastodon_production" is the instance's own database \(database\.direct\.name or database\.pool\.name\): a drill restores into a scratch database; allowed: another database of the cluster, or none for a throwaway PostgreSQL in the pod/);
  });

  test('GIVEN a schedule whose runs meet a backup window THEN it is refused with the windows', () => {
    expect(errorOf(() => loadInstance(withDrill('{ schedule: "0 10 * * 1" }'))))
      .toMatch(/backups\.database\.restoreDrill\.schedule: "0 10 \* \* 1" runs from 10:00 UTC for up to 4 h, into the database backup windows 00:00–01:00, 06:00–07:00, 12:00–13:00, 18:00–19:00 UTC \(backups\.database\.schedule "0 \*\/6 \* \* \*", 60 min each\); allowed: a schedule whose runs start and end outside them/);
  });

  test('GIVEN daily backups at 22:00 THEN the default drill still fits, and a dump may be 48 hours old', () => {
    const model = buildModel(loadInstance(exampleVariant({ instance: (t) => replaceOnce(t, 'schedule: "0 */6 * * *"', 'schedule: "0 22 * * *"') })));
    expect(model.jobs.restoreDrill).toMatchObject({ schedule: '0 7 * * 1', maxDumpAgeHours: 48 });
  });

  test('GIVEN enabled: false THEN no drill', () => {
    expect(buildModel(loadInstance(withDrill('{ enabled: false }'))).jobs.restoreDrill).toBeUndefined();
  });
});

describe('README, "Restore drill"', () => {
  test('THEN its alert expressions are PromQL that Prometheus\' own parser accepts, on the drill\'s names', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Restore drill'), readme.indexOf('### Restore\n'));
    const expressions = [...section.matchAll(/`((?:kube_job_status_failed|time\(\) - kube_cronjob)[^`]*)`/g)].map((m) => m[1]);
    expect(expressions).toEqual([
      'kube_job_status_failed{job_name=~"restore-drill-.*"} > 0',
      'time() - kube_cronjob_status_last_successful_time{cronjob="restore-drill"} > 8 * 86400',
    ]);
    for (const expr of expressions) {
      const errors: number[] = [];
      parser.parse(expr).iterate({ enter: (n) => { if (n.type.isError) errors.push(n.from); } });
      expect({ expr, errors }).toEqual({ expr, errors: [] });
    }
  });
});
