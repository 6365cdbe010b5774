import * as path from 'node:path';
import { formatPath, ValuePath } from '../core/source';

/** One rendered Kubernetes object and the file it is (or will be) written to. */
export interface RenderedObject {
  /** Path of the file, e.g. `dist/example/mastodon/Deployment.web.yaml`. */
  readonly file: string;
  readonly object: KubeObject;
}

/** The parts of a Kubernetes object every check may rely on; the rest is read defensively. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** A problem with one rendered object, printed as `file: Kind/name: path: message`. */
export interface Finding {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  /** Dotted path of the offending value, e.g. `spec.template.spec.containers[0].image`; empty for the whole object. */
  readonly path: string;
  readonly message: string;
}

/** A check over a set of rendered objects (one instance, or a whole dist/ tree). */
export type Check = (objects: readonly RenderedObject[]) => Finding[];

/** A finding about `at` (a rendered object) at `path`. */
export function finding(at: RenderedObject, path: ValuePath, message: string): Finding {
  return { file: at.file, kind: at.object.kind, name: at.object.metadata?.name, path: formatPath(path), message };
}

export function formatFinding(f: Finding): string {
  return `${f.file}: ${f.kind}/${f.name}: ${f.path ? `${f.path}: ` : ''}${f.message}`;
}

/**
 * Rendered output that breaks a check. The CLI prints every finding, one per line, and exits 1
 * without a stack trace; synth leaves dist/ untouched.
 */
export class ValidationError extends Error {
  public readonly findings: readonly Finding[];
  /** One line saying what failed. */
  public readonly summary: string;

  constructor(findings: readonly Finding[], summary = `the rendered output fails ${count(findings.length, 'check')}; nothing was written`) {
    super(findings.map(formatFinding).join('\n'));
    this.name = 'ValidationError';
    this.findings = findings;
    this.summary = summary;
  }

  /** The same findings with every file name put under `dir` (synth renders paths relative to its output). */
  public under(dir: string): ValidationError {
    return new ValidationError(this.findings.map((f) => ({ ...f, file: path.join(dir, f.file) })), this.summary);
  }
}

/** `1 check`, `2 checks`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
