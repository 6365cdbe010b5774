import * as fs from 'node:fs';
import { errorCode, FileError, fileErrorOf } from './file-error';

/**
 * The largest input file read: far above any real configuration (the example's instance.yaml is
 * about 10 KiB), low enough that parsing and checking a file stays quick, and a 10 MB value or an
 * endless file such as `/dev/zero` is refused before it is read.
 */
export const MAX_INPUT_BYTES = 1024 * 1024;

/**
 * Reads a UTF-8 input file. It must be a regular file (a symbolic link to one is fine) of at most
 * `MAX_INPUT_BYTES`: a folder, a FIFO (whose read would block forever), a device, a dangling link
 * or a link loop is a FileError naming `display` and the rule, never a hang or a silent skip.
 */
export function readInputFile(file: string, display: string = file): string {
  return decodeUtf8(readInputBytes(file, display), display);
}

/** The bytes of an input file, with readInputFile's checks but not decoded (for a content hash). */
export function readInputBytes(file: string, display: string = file): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one (it
    // changes nothing for a regular file); the checks below then refuse it.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw whyUnreadable(e, file, display);
  }
  try {
    // fstat on the open descriptor: what was checked is what is read.
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new FileError(display, `is ${kindOf(stat)}, not a file; expected a regular YAML file`);
    if (stat.size > MAX_INPUT_BYTES) throw tooLarge(display);
    // Read at most one byte past the limit: a file that grows while being read is still bounded.
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_INPUT_BYTES) + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) {
      n = fs.readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > MAX_INPUT_BYTES) throw tooLarge(display);
    return buffer.subarray(0, length);
  } catch (e) {
    throw e instanceof FileError ? e : fileErrorOf(e, display);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Whether anything is at `file`, of any kind: a dangling symbolic link or an unreadable file
 * counts, so that reading it fails loudly instead of the file being taken as absent.
 */
export function entryExists(file: string, display: string = file): boolean {
  try {
    // No exception for a missing file: a thousand instances without a queue plan are a thousand exceptions.
    return fs.lstatSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch (e) {
    throw fileErrorOf(e, display);
  }
}

/** What is at `file`, following symbolic links; a FileError when nothing readable is there. */
export function statInput(file: string, display: string = file): fs.Stats {
  try {
    return fs.statSync(file);
  } catch (e) {
    throw whyUnreadable(e, file, display);
  }
}

/** A FileError unless `dir` is a folder (or a link to one); `expected` says what it should hold. */
export function requireFolder(dir: string, display: string, expected: string): void {
  const stat = statInput(dir, display);
  if (!stat.isDirectory()) throw new FileError(display, `is ${kindOf(stat)}, not a folder; expected ${expected}`);
}

/** Names of a folder's entries, sorted; a FileError when it cannot be listed. */
export function listFolder(dir: string, display: string = dir): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch (e) {
    throw fileErrorOf(e, display);
  }
}

/** `a regular file`, `a folder`, `a FIFO (named pipe)`… for messages. */
export function kindOf(stat: fs.Stats): string {
  if (stat.isFile()) return 'a file';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why opening `file` failed: a dangling link is told apart from a missing file. */
function whyUnreadable(e: unknown, file: string, display: string): FileError {
  if (errorCode(e) === 'ENOENT') {
    const target = linkTarget(file);
    if (target !== undefined) return new FileError(display, `is a symbolic link to ${target}, which does not exist`);
  }
  return fileErrorOf(e, display);
}

function linkTarget(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch {
    // Not a link (or a link in a parent folder): the plain "does not exist" says it.
    return undefined;
  }
}

function tooLarge(display: string): FileError {
  return new FileError(display, `is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB, the limit for an input file; a configuration file is a few KiB`);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array, display: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new FileError(display, 'is not UTF-8 text; save it as UTF-8');
  }
}
