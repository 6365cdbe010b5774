import { maxCronGapSeconds } from '../../lib/core/cron';

/**
 * GIVEN a cron schedule THEN maxCronGapSeconds is the longest time between two of its runs, which
 * the backup alerts double. Checked against hand-worked examples, and against a brute-force walk of
 * every minute of two years for schedules that repeat within a week.
 */

/** An independent matcher for the plain forms (`*`, `a`, `a,b`, `a-b`, `*\/n`): enough for the oracle. */
function fieldMatches(field: string, value: number): boolean {
  return field.split(',').some((part) => {
    const step = /^\*\/(\d+)$/.exec(part);
    if (step) return value % Number(step[1]) === 0;
    if (part === '*') return true;
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) return value >= Number(range[1]) && value <= Number(range[2]);
    return Number(part) === value;
  });
}

/** Walks every minute of 2001–2002 (UTC) and returns the longest gap between matches, in seconds. */
function bruteForceGap(schedule: string): number {
  const [minute, hour, dom, month, dow] = schedule.split(' ');
  const either = !dom.startsWith('*') && !dow.startsWith('*');
  const hours = Array.from({ length: 24 }, (_, h) => fieldMatches(hour, h));
  const minutes = Array.from({ length: 60 }, (_, m) => fieldMatches(minute, m));
  // The minutes of a matching day that match (the same every day), found once.
  const ofDay = Array.from({ length: 1440 }, (_, m) => m).filter((m) => hours[Math.floor(m / 60)] && minutes[m % 60]);
  const runs: number[] = [];
  for (let day = 0; day < 730; day++) {
    const d = new Date(Date.UTC(2001, 0, 1 + day));
    const byDate = fieldMatches(dom, d.getUTCDate());
    const byWeekday = fieldMatches(dow, d.getUTCDay());
    if (!fieldMatches(month, d.getUTCMonth() + 1) || !(either ? byDate || byWeekday : byDate && byWeekday)) continue;
    for (const m of ofDay) runs.push(day * 1440 + m);
  }
  let gap = 0;
  for (let i = 1; i < runs.length; i++) gap = Math.max(gap, runs[i] - runs[i - 1]);
  return gap * 60;
}

describe('maxCronGapSeconds', () => {
  test.each([
    ['0 */6 * * *', 6 * 3600],
    ['30 4 * * *', 86_400],
    ['@daily', 86_400],
    ['@hourly', 3600],
    ['0 1 * * 0', 7 * 86_400],
    ['0 1 * * sun', 7 * 86_400],
    ['0 0 1 * *', 31 * 86_400],
    ['0 0 1 jan *', 366 * 86_400],
    ['0 0 29 2 *', (4 * 365 + 1) * 86_400],
    ['0 6,18 * * 1-5', (2 * 24 + 12) * 3600],
    ['*/7 * * * *', 7 * 60],
  ])('GIVEN %s THEN the longest gap is %i s', (schedule, seconds) => {
    expect(maxCronGapSeconds(schedule)).toBe(seconds);
  });

  test('GIVEN a date that never comes THEN an error says so', () => {
    expect(maxCronGapSeconds('0 0 30 2 *')).toEqual({ error: 'the schedule never runs (no date matches its day and month fields)' });
    expect(maxCronGapSeconds('0 0 * * 8')).toEqual({ error: 'day-of-week field: "8" is outside 0-7' });
  });

  test('GIVEN schedules repeating within a week THEN the result equals a walk over every minute of two years', () => {
    for (const schedule of ['0 */6 * * *', '15 3 * * 2,5', '0 0 1,15 * 3', '*/20 9-17 * * 1-5', '0 */5 * * *', '45 23 * * 0']) {
      expect([schedule, maxCronGapSeconds(schedule)]).toEqual([schedule, bruteForceGap(schedule)]);
    }
  });

  test('GIVEN any daily `M H * * *` THEN the gap is a day; GIVEN hours `*/k` THEN it is k hours (the wrap-around past midnight never longer)', () => {
    for (let h = 0; h < 24; h += 5) for (let m = 0; m < 60; m += 13) expect(maxCronGapSeconds(`${m} ${h} * * *`)).toBe(86_400);
    for (let k = 1; k <= 12; k++) expect([k, maxCronGapSeconds(`0 */${k} * * *`)]).toEqual([k, Math.max(k, 24 - Math.floor(23 / k) * k) * 3600]);
  });
});
