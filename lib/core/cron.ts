/** Minutes in a day: cron start times projected onto one day. */
export const MINUTES_PER_DAY = 1440;

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@hourly': '0 * * * *',
};

/** The values of one numeric cron field (`*`, `a`, `a-b`, `*\/n`, `a-b/n`, lists), or a message. */
function fieldValues(field: string, min: number, max: number): number[] | string {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return `"${part}" is not a number, range or step`;
    const from = match[1] === '*' ? min : Number(match[2]);
    const to = match[1] === '*' || (match[3] === undefined && match[4] !== undefined) ? max : Number(match[3] ?? match[2]);
    const step = match[4] === undefined ? 1 : Number(match[4]);
    if (from < min || to > max || from > to || step < 1) return `"${part}" is outside ${min}-${max}`;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * The minutes of the day (0–1439, UTC) at which a cron schedule may start a run, from its minute
 * and hour fields; the day fields are ignored, so a weekly job counts as daily (conservative).
 */
export function startMinutesOfDay(schedule: string): number[] | { readonly error: string } {
  const fields = (MACROS[schedule] ?? schedule).trim().split(/\s+/);
  if (fields.length !== 5) return { error: 'not a cron schedule of five fields' };
  const minutes = fieldValues(fields[0], 0, 59);
  const hours = fieldValues(fields[1], 0, 23);
  if (typeof minutes === 'string') return { error: `minute field: ${minutes}` };
  if (typeof hours === 'string') return { error: `hour field: ${hours}` };
  return hours.flatMap((h) => minutes.map((m) => h * 60 + m));
}

/** Whether [a, a + aLength) and [b, b + bLength) meet on the 24-hour circle. */
export function intervalsMeet(a: number, aLength: number, b: number, bLength: number): boolean {
  if (aLength >= MINUTES_PER_DAY || bLength >= MINUTES_PER_DAY) return true;
  const d = (((b - a) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return d < aLength || MINUTES_PER_DAY - d < bLength;
}

/** `HH:MM` of a minute of the day. */
export function clock(minute: number): string {
  const m = ((minute % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A field with names (JAN, MON) replaced by their numbers, from `first` on. */
function numbered(field: string, names: readonly string[], first: number): string {
  return field.toUpperCase().replace(/[A-Z]{3}/g, (name) => {
    const i = names.indexOf(name);
    return i < 0 ? name : String(i + first);
  });
}

/**
 * From 2001-01-01 (UTC) for 28 years: every weekday falls on every date of every kind of year in
 * this cycle, and between 1901 and 2099 the calendar repeats after it, so the largest gap found here
 * (the step from the cycle's last run to its first run, one cycle later, included) is the largest
 * gap of the schedule.
 */
const CYCLE_START = Date.UTC(2001, 0, 1);
const CYCLE_DAYS = 10227;
const DAY_MS = 86_400_000;

/**
 * The longest time, in seconds, between two consecutive runs of a cron schedule (UTC): how long
 * the job may rightly go without starting. All five fields count; as in crontab(5), when the day
 * of month and the day of week are both restricted (neither starts with `*`), a day matching
 * either runs. `0 *\/6 * * *` → 21 600; `30 4 * * *` → 86 400; `0 1 * * 0` → 604 800.
 */
export function maxCronGapSeconds(schedule: string): number | { readonly error: string } {
  const fields = (MACROS[schedule] ?? schedule).trim().split(/\s+/);
  const starts = startMinutesOfDay(schedule);
  if ('error' in starts) return starts;
  const dom = fieldValues(fields[2], 1, 31);
  const month = fieldValues(numbered(fields[3], MONTH_NAMES, 1), 1, 12);
  const dow = fieldValues(numbered(fields[4], DAY_NAMES, 0), 0, 7);
  if (typeof dom === 'string') return { error: `day-of-month field: ${dom}` };
  if (typeof month === 'string') return { error: `month field: ${month}` };
  if (typeof dow === 'string') return { error: `day-of-week field: ${dow}` };
  const days = new Set(dom);
  const months = new Set(month);
  const weekdays = new Set(dow.map((d) => d % 7));
  const either = !fields[2].startsWith('*') && !fields[4].startsWith('*');
  const runDays: number[] = [];
  for (let d = 0; d < CYCLE_DAYS; d++) {
    const date = new Date(CYCLE_START + d * DAY_MS);
    if (!months.has(date.getUTCMonth() + 1)) continue;
    const byDate = days.has(date.getUTCDate());
    const byWeekday = weekdays.has(date.getUTCDay());
    if (either ? byDate || byWeekday : byDate && byWeekday) runDays.push(d);
  }
  if (runDays.length === 0) return { error: 'the schedule never runs (no date matches its day and month fields)' };
  const first = starts[0];
  const last = starts[starts.length - 1];
  let gap = 0;
  for (let i = 1; i < starts.length; i++) gap = Math.max(gap, starts[i] - starts[i - 1]);
  const nextDays = [...runDays.slice(1), runDays[0] + CYCLE_DAYS];
  runDays.forEach((d, i) => { gap = Math.max(gap, (nextDays[i] - d) * MINUTES_PER_DAY + first - last); });
  return gap * 60;
}
