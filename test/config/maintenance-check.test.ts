import fc from 'fast-check';
import { intervalsMeet, MINUTES_PER_DAY, startMinutesOfDay } from '../../lib/core/cron';
import { exampleVariant, problemsOf, renderExample, replaceOnce, renderedFiles } from '../helpers';

/** GIVEN the example with `maintenance` (YAML lines) appended, at `version`. */
function withMaintenance(maintenance: string, edit: (t: string) => string = (t) => t): string {
  return exampleVariant({ instance: (t) => `${edit(t)}\nmaintenance:\n${maintenance}` });
}

describe('housekeeping CronJobs', () => {
  test('GIVEN the example WHEN rendered THEN media remove and preview cards remove run weekly as the app, with nothing but their version\'s flags', () => {
    const tree = renderExample();
    const media = tree.get('example/operations/CronJob.maintenance-media-remove.yaml')!;
    const cards = tree.get('example/operations/CronJob.maintenance-preview-cards-remove.yaml')!;
    expect(media).toContain('schedule: 0 1 * * 0\n');
    expect(media).toContain('- bin/tootctl\n                - media\n                - remove\n                - --days\n                - "7"\n                - --concurrency\n                - "5"\n');
    expect(cards).toContain('schedule: 0 2 * * 3\n');
    expect(cards).toContain('- preview_cards\n                - remove\n                - --days\n                - "180"\n');
    for (const text of [media, cards]) {
      expect(text).toContain('concurrencyPolicy: Forbid');
      expect(text).toContain('timeZone: Etc/UTC');
      expect(text).toContain('automountServiceAccountToken: false');
      expect(text).toContain('name: TMPDIR\n                  value: /tmp/ruby');
      expect(text).toContain('configMapRef:\n                    name: mastodon-env');
      expect(text).toContain('runAsUser: 991');
    }
    expect([...tree.keys()].filter((f) => f.includes('maintenance-'))).toHaveLength(2);
  });

  test('GIVEN every task enabled WHEN rendered THEN each has its own CronJob, profile pruning apart from attachments', () => {
    const dir = withMaintenance([
      '  profileMediaRemove: { enabled: true, mode: prune-profiles, includeFollows: true }',
      '  mediaRemoveOrphans: { enabled: true, prefix: media_attachments }',
      '  accountsPrune: { enabled: true, concurrency: 2 }',
      '  statusesRemove: { enabled: true, cleanFollowed: true }',
      '',
    ].join('\n'));
    const files = renderedFiles(dir);
    const commands = [...files.entries()].filter(([f]) => f.includes('/CronJob.maintenance-')).map(([f, text]) => [f.replace(/.*CronJob\./, ''), /- bin\/tootctl\n((?:\s+- .*\n)+)/.exec(text)![1].split('\n').map((l) => l.trim().replace(/^- /, '').replace(/"/g, '')).filter(Boolean).join(' ')]);
    expect(commands.sort()).toEqual([
      ['maintenance-accounts-prune.yaml', 'accounts prune --concurrency 2'],
      ['maintenance-media-remove-orphans.yaml', 'media remove-orphans --prefix media_attachments'],
      ['maintenance-media-remove.yaml', 'media remove --days 7 --concurrency 5'],
      ['maintenance-preview-cards-remove.yaml', 'preview_cards remove --days 180 --concurrency 5'],
      ['maintenance-profile-media-remove.yaml', 'media remove --prune-profiles --days 30 --concurrency 5 --include-follows'],
      ['maintenance-statuses-remove.yaml', 'statuses remove --days 90 --batch-size 1000 --clean-followed'],
    ]);
    // statuses remove changes the schema (statuses.rb:50,134): the direct connection, its env inline.
    const statuses = files.get('variant/operations/CronJob.maintenance-statuses-remove.yaml')!;
    expect(statuses).toContain('- name: DB_PORT\n                  value: "25060"');
    expect(statuses).not.toContain('configMapRef');
    expect(files.get('variant/operations/CronJob.maintenance-accounts-prune.yaml')).toContain('configMapRef:\n                    name: mastodon-env');
  });

  test('GIVEN keepInteracted on Mastodon 4.5 THEN the config line says it needs 4.6', () => {
    const dir = withMaintenance('  mediaRemove: { keepInteracted: true }\n', (t) => replaceOnce(t, 'version: v4.7.2', 'version: v4.5.3'));
    expect(problemsOf(dir)).toContainEqual(expect.stringMatching(/^instance\.yaml:\d+:\d+: maintenance\.mediaRemove\.keepInteracted: true needs Mastodon v4\.6\.0 or newer \(tootctl media remove --keep-interacted came with 4\.6; this instance has v4\.5\.3\); allowed: false$/));
  });

  test('GIVEN keepInteracted on Mastodon 4.7 THEN the flag is rendered', () => {
    const dir = withMaintenance('  mediaRemove: { keepInteracted: true }\n');
    expect(renderedFiles(dir).get('variant/operations/CronJob.maintenance-media-remove.yaml')).toContain('- --keep-interacted\n');
  });

  test('GIVEN the official chart\'s midnight schedule THEN it is refused: it starts inside the 00:00 backup', () => {
    const dir = withMaintenance('  mediaRemove: { schedule: "0 0 * * 0" }\n');
    expect(problemsOf(dir)).toContainEqual(expect.stringMatching(/^instance\.yaml:\d+:\d+: maintenance\.mediaRemove\.schedule: "0 0 \* \* 0" runs from 00:00 UTC for up to 3 h, into the database backup windows 00:00–01:00, 06:00–07:00, 12:00–13:00, 18:00–19:00 UTC \(backups\.database\.schedule "0 \*\/6 \* \* \*", 60 min each\); allowed: a schedule whose runs start and end outside them$/));
  });

  test('GIVEN a run that would last into the next backup THEN it is refused', () => {
    const dir = withMaintenance('  previewCardsRemove: { schedule: "30 4 * * *" }\n');
    expect(problemsOf(dir)).toContainEqual(expect.stringContaining('maintenance.previewCardsRemove.schedule: "30 4 * * *" runs from 04:30 UTC'));
  });

  test('GIVEN a backup schedule that meets the default housekeeping times THEN the defaults are named as such', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'schedule: "0 */6 * * *"', 'schedule: "0 2 * * *"') });
    const problems = problemsOf(dir);
    expect(problems).toContainEqual(expect.stringContaining('maintenance.mediaRemove.schedule: "0 1 * * 0" (the default) runs from 01:00 UTC for up to 3 h, into the database backup windows 02:00–03:00 UTC'));
    expect(problems).toContainEqual(expect.stringContaining('maintenance.previewCardsRemove.schedule: "0 2 * * 3" (the default) runs from 02:00 UTC'));
  });

  test('GIVEN no database backup THEN any schedule is allowed', () => {
    const dir = withMaintenance('  mediaRemove: { schedule: "0 0 * * 0" }\n', (t) => t.replace(/\n  database:\n    schedule: "0 \*\/6 \* \* \*"\n    retentionDays: 14\n    postgresVersion: 17\n/, '\n'));
    expect(renderedFiles(dir).get('variant/operations/CronJob.maintenance-media-remove.yaml')).toContain('schedule: 0 0 * * 0\n');
    expect(renderedFiles(dir).has('variant/operations/CronJob.backup-database.yaml')).toBe(false);
  });

  test('GIVEN hour names THEN the schedule is refused with what is allowed', () => {
    const dir = withMaintenance('  accountsPrune: { enabled: true, schedule: "0 MON * * *" }\n');
    expect(problemsOf(dir)).toContainEqual(expect.stringContaining('maintenance.accountsPrune.schedule: "0 MON * * *": hour field: "MON" is not a number, range or step; allowed: numeric minute and hour fields'));
  });
});

describe('cron start times and windows (lib/core/cron.ts)', () => {
  test('GIVEN the usual forms THEN their start minutes', () => {
    expect(startMinutesOfDay('0 */6 * * *')).toEqual([0, 360, 720, 1080]);
    expect(startMinutesOfDay('15,45 1-2 * * 0')).toEqual([75, 105, 135, 165]);
    expect(startMinutesOfDay('@daily')).toEqual([0]);
    expect(startMinutesOfDay('0 1-23/11 * * *')).toEqual([60, 720, 1380]);
    expect(startMinutesOfDay('0 24 * * *')).toEqual({ error: 'hour field: "24" is outside 0-23' });
  });

  test('GIVEN any two runs THEN they meet exactly when some minute of the day is in both (brute force over two days)', () => {
    const minute = fc.integer({ min: 0, max: MINUTES_PER_DAY - 1 });
    const length = fc.integer({ min: 1, max: 2 * MINUTES_PER_DAY });
    fc.assert(fc.property(minute, length, minute, length, (a, al, b, bl) => {
      const covered = (start: number, len: number) => {
        const set = new Set<number>();
        for (let m = start; m < start + Math.min(len, MINUTES_PER_DAY); m++) set.add(m % MINUTES_PER_DAY);
        return set;
      };
      const A = covered(a, al);
      const brute = [...covered(b, bl)].some((m) => A.has(m));
      expect(intervalsMeet(a, al, b, bl)).toBe(brute);
    }));
  });
});
