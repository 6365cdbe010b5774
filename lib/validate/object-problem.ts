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
export interface ObjectProblem {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  /** Dotted path of the offending value, e.g. `spec.template.spec.containers[0].image`; empty for the whole object. */
  readonly path: string;
  readonly message: string;
}

/** A check over a set of rendered objects (one instance, or a whole dist/ tree). */
export type ObjectCheck = (objects: readonly RenderedObject[]) => ObjectProblem[];

const PER_OBJECT = new WeakSet<ObjectCheck>();

/**
 * Marks a check that judges each object alone: over a set of objects it finds what it finds in
 * each object in turn, in order. `validate` runs such checks on each file as it is read, and keeps
 * only what the other checks (across objects) need (./cross-view.ts).
 */
export function perObject(check: ObjectCheck): ObjectCheck {
  PER_OBJECT.add(check);
  return check;
}

export function isPerObject(check: ObjectCheck): boolean {
  return PER_OBJECT.has(check);
}

/** A finding about `at` (a rendered object) at `path`. */
export function objectProblem(at: RenderedObject, path: ValuePath, message: string): ObjectProblem {
  return { file: at.file, kind: at.object.kind, name: at.object.metadata?.name, path: formatPath(path), message };
}

export function formatObjectProblem(f: ObjectProblem): string {
  return `${f.file}: ${f.kind}/${f.name}: ${f.path ? `${f.path}: ` : ''}${f.message}`;
}

/**
 * Rendered output that breaks a check. The CLI prints every finding, one per line, and exits 1
 * without a stack trace; synth leaves dist/ untouched.
 */
export class ValidationError extends Error {
  public readonly problems: readonly ObjectProblem[];
  /** One line saying what failed. */
  public readonly summary: string;

  constructor(problems: readonly ObjectProblem[], summary = `the rendered output fails ${count(problems.length, 'check')}; nothing was written`) {
    super(problems.map(formatObjectProblem).join('\n'));
    this.name = 'ValidationError';
    this.problems = problems;
    this.summary = summary;
  }

  /** The same problems with every file name put under `dir` (synth renders paths relative to its output). */
  public under(dir: string): ValidationError {
    return new ValidationError(this.problems.map((f) => ({ ...f, file: path.join(dir, f.file) })), this.summary);
  }
}

/** `1 check`, `2 checks`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
