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
 * Bad user input. The CLI prints `message` (every problem, one per line) and exits 1 without a
 * stack trace; anything else that is thrown is a bug and keeps its stack.
 */
export class ConfigError extends Error {
  public readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
