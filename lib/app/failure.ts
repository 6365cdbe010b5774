import { ConfigError, ConfigProblem } from '../core/errors';
import { FileError } from '../core/file-error';
import { ObjectProblem, ValidationError } from '../validate/object-problem';

/**
 * Why an instance did not load or render, as data that crosses threads (worker threads send it
 * back: ./render-pool.ts), to be thrown again in the main thread as it was thrown.
 */
export type Failure =
  | { readonly configProblems: readonly ConfigProblem[] }
  | { readonly validation: { readonly problems: readonly ObjectProblem[]; readonly summary: string } }
  | { readonly fileError: { readonly file: string; readonly reason: string } }
  | { readonly bug: string };

export function failureOf(e: unknown): Failure {
  if (e instanceof ConfigError) return { configProblems: e.problems };
  if (e instanceof ValidationError) return { validation: { problems: e.problems, summary: e.summary } };
  if (e instanceof FileError) return { fileError: { file: e.file, reason: e.reason } };
  return { bug: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}

/** The error a Failure stands for, as it was thrown. */
export function rethrow(failure: Failure, dir: string): never {
  if ('configProblems' in failure) throw new ConfigError(failure.configProblems);
  if ('validation' in failure) throw new ValidationError(failure.validation.problems, failure.validation.summary);
  if ('fileError' in failure) throw new FileError(failure.fileError.file, failure.fileError.reason);
  throw new Error(`rendering ${dir} failed: ${failure.bug}`);
}
