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
