import { ConfigError, ConfigProblem } from './errors';

/**
 * The outcome of one semantic check: an error stops the render, a warning is printed and the
 * render goes on.
 */
export interface Finding {
  readonly severity: 'error' | 'warning';
  readonly problem: ConfigProblem;
}

export function error(problem: ConfigProblem): Finding {
  return { severity: 'error', problem };
}

export function warning(problem: ConfigProblem): Finding {
  return { severity: 'warning', problem };
}

/** The problems of one severity in reading order: by file (as first met), line and column. */
function inOrder(findings: readonly Finding[], severity: Finding['severity']): ConfigProblem[] {
  const problems = findings.filter((f) => f.severity === severity).map((f) => f.problem);
  const files = [...new Set(problems.map((p) => p.file))];
  return problems.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line || a.col - b.col);
}

/** Throws a ConfigError listing every error; otherwise returns the warnings. */
export function failOnErrors(findings: readonly Finding[]): ConfigProblem[] {
  const errors = inOrder(findings, 'error');
  if (errors.length > 0) throw new ConfigError(errors);
  return inOrder(findings, 'warning');
}
