/** Where a problem is: a file, a position in it, and the path to the offending value. */
export interface ConfigLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Dotted path of the value, e.g. `pools.default.threads`; empty for the whole document. */
  readonly path: string;
}

/** One problem found in user input, printed as `file:line:col: path: message`. */
export interface ConfigProblem extends ConfigLocation {
  readonly message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.path ? `${p.path}: ` : '';
  return `${p.file}:${p.line}:${p.col}: ${where}${p.message}`;
}

/**
 * How many problems a message lists. A generated or badly merged file can hold tens of thousands;
 * the first ones show the pattern, the rest are counted.
 */
export const MAX_LISTED_PROBLEMS = 50;

/** The problems one per line, at most MAX_LISTED_PROBLEMS of them, then `… and 19,950 more`. */
export function listProblems(problems: readonly ConfigProblem[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map(formatProblem);
  const rest = problems.length - listed.length;
  return [...listed, ...(rest > 0 ? [`… and ${rest.toLocaleString('en-US')} more`] : [])].join('\n');
}

/**
 * Bad user input. The CLI prints `message` (the problems one per line, the first
 * MAX_LISTED_PROBLEMS of them) and exits 1 without a stack trace; anything else that is thrown is
 * a bug and keeps its stack.
 */
export class ConfigError extends Error {
  public readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(listProblems(problems));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Maps every item, collecting the ConfigErrors of all of them (each problem once: a mistake in a
 * shared defaults file shows up in every instance) before throwing them together.
 */
export function collectProblems<T, R>(items: readonly T[], fn: (item: T) => R): R[] {
  const results: R[] = [];
  const problems = new Map<string, ConfigProblem>();
  for (const item of items) {
    try {
      results.push(fn(item));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      for (const p of e.problems) problems.set(formatProblem(p), p);
    }
  }
  if (problems.size > 0) throw new ConfigError([...problems.values()]);
  return results;
}
