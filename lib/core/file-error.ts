import * as path from 'node:path';

/**
 * A file or folder the CLI cannot use as asked: missing, unreadable, of the wrong kind, too large,
 * or an output folder that would damage the configuration. The CLI prints `file: reason` and exits
 * 1 without a stack trace.
 */
export class FileError extends Error {
  constructor(
    /** The path as the user wrote it (relative to where the command runs). */
    public readonly file: string,
    /** What is wrong and what is expected, e.g. `is a folder; expected a YAML file`. */
    public readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'FileError';
  }
}

/** Node's error code of a failed file-system call (`ENOENT`, `EACCES`…), if it is one. */
export function errorCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The words for a failed file-system call on `file`; anything that is not a file-system error is a
 * bug and is thrown on with its stack.
 */
export function fileErrorOf(e: unknown, file: string): FileError {
  const code = errorCode(e);
  if (code === undefined) throw e;
  return new FileError(file, REASONS[code] ?? `cannot be used (${code})`);
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'is a symbolic link loop (a link that leads back to itself)',
  ENOTDIR: 'a part of this path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the path is too long',
  EIO: 'input/output error from the device',
  EBUSY: 'is busy (in use by the system)',
};

/**
 * A FileError for a failed call that names its own path (Node's errors carry it), shown relative
 * to where the command runs; `fallback` when it names none.
 */
export function fileErrorAt(e: unknown, fallback: string): FileError {
  const where = (e as NodeJS.ErrnoException | null)?.path;
  return fileErrorOf(e, typeof where === 'string' ? path.relative(process.cwd(), where) || '.' : fallback);
}
