import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileErrorOf } from './file-error';

/**
 * Replaces one file's content so that it is, at every moment, either entirely as before or
 * entirely as new: the text goes to a temporary file beside the target (the same file system),
 * is flushed to disk, and is renamed over it (rename(2) is atomic). A link is followed, so the
 * file it leads to is replaced and the link stays; the file keeps its mode. On any failure the
 * temporary file is removed and the target is untouched.
 */
export function replaceFile(file: string, text: string): void {
  let target: string;
  let mode: number;
  try {
    target = fs.realpathSync(file);
    mode = fs.statSync(target).mode & 0o7777;
  } catch (e) {
    throw fileErrorOf(e, file);
  }
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(temporary, 'wx', mode);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, target);
  } catch (e) {
    fs.rmSync(temporary, { force: true });
    throw fileErrorOf(e, file);
  }
}
