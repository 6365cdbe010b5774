/**
 * Small builders for PromQL text, so rules and dashboard panels never splice label matchers by
 * hand. Values are quoted as PromQL strings (backslash and double quote escaped).
 */

const quote = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** `{k="v",…,k=~"re",…}`: equality matchers, then regular-expression matchers (fully anchored in PromQL). */
export function matchers(equal: Readonly<Record<string, string>>, regex: Readonly<Record<string, string>> = {}): string {
  return `{${[
    ...Object.entries(equal).map(([k, v]) => `${k}=${quote(v)}`),
    ...Object.entries(regex).map(([k, v]) => `${k}=~${quote(v)}`),
  ].join(',')}}`;
}

/** A regular expression matching exactly one of `values` (each escaped). */
export function oneOf(values: readonly string[]): string {
  return values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** A number as PromQL reads it, without binary noise (1 − 0.999 → 0.001). */
export function num(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/** Seconds as the shortest exact Prometheus duration: 21600 → `6h`, 90 → `90s`. */
export function duration(seconds: number): string {
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60]] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
