import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileError } from './file-error';

/** Relative path (`/`-separated) → content: what a folder should hold. */
export type FolderContent = ReadonlyMap<string, string>;

/**
 * The work folder of a write, inside the output folder so that every rename stays on one file
 * system (and is atomic). Hidden, so no Argo CD Application path (`dist/<instance>/<chart>`) and no
 * instance id can be it; the repository's .gitignore lists it.
 */
export const WORK_FOLDER = '.mastodon-cdk8s-write';
const TRASH_PREFIX = '.mastodon-cdk8s-trash-';
const OWNER = 'owner.pid';
const PLAN = 'plan.json';
const STAGED = 'staged';
const OLD = 'old';

/** What a committed write does: these top-level folders get their staged content, those go. */
interface Plan {
  readonly write: readonly string[];
  readonly remove: readonly string[];
}

/**
 * Replaces top-level folders of `out` so that each one is, at every moment, either entirely as
 * before or entirely as new, and an interrupted write is finished by the next one:
 *
 * 1. Every new folder is written into `<out>/.mastodon-cdk8s-write/staged/`, as soon as it is known
 *    (`stage`, or `stageFolder` from another thread and `adopt`), so that a writer that renders as
 *    it writes (lib/render/write.ts) keeps no folder's files in memory. A crash here leaves
 *    `out` untouched; the next run discards the work folder.
 * 2. `plan.json` is renamed into place: the commit point. From here on the write is finished
 *    even if this process dies (rollForward is idempotent).
 * 3. Per folder, two renames: the current folder into `old/`, the staged one into its place. POSIX
 *    rename(2) cannot replace a non-empty folder, and Node offers no renameat2(RENAME_EXCHANGE),
 *    so between the two renames the folder is missing from `out`; it is then held whole in the
 *    work folder, and the next run (recoverInterruptedWrite) completes the swap before anything else.
 * 4. The work folder is renamed to a trash name (atomically, so a half-deleted work folder is never
 *    mistaken for one to recover) and deleted.
 *
 * A second writer of the same `out` is refused while the first one's process is alive.
 */
export class FolderReplacement {
  private work: string | undefined;
  /** The first folder on the way to `out` that this write created, if any: an aborted write removes what it made. */
  private created: string | undefined;
  private readonly writes = new Set<string>();
  private readonly removals = new Set<string>();

  /** Finishes an interrupted write of `out` first, or refuses when another writer is at work on it. */
  constructor(private readonly out: string) {
    recoverInterruptedWrite(out);
  }

  /** Step 1 for one folder: its new content, under `<work>/staged/<id>/` (see stageFolder for `unchanged`). */
  public stage(id: string, content: FolderContent, unchanged?: (file: string) => string | undefined): void {
    this.guard(() => {
      stageFolder(path.join(this.open(), STAGED), id, content, unchanged);
      this.writes.add(id);
    });
  }

  /**
   * Where another thread may stage folders (`<staged>/<id>/`, with `stageFolder`), each then
   * `adopt`ed here. The work folder is made and locked on the first call.
   */
  public stagingFolder(): string {
    let folder = '';
    this.guard(() => {
      folder = path.join(this.open(), STAGED);
      fs.mkdirSync(folder, { recursive: true });
    });
    return folder;
  }

  /** The folder `id`, staged under `stagingFolder()` by another thread, is written at the commit. */
  public adopt(id: string): void {
    this.writes.add(id);
  }

  /** The folder `id` goes at the commit. */
  public remove(id: string): void {
    this.removals.add(id);
  }

  /** Steps 2 to 4: the plan committed, the folders swapped, the work folder deleted. */
  public commit(): void {
    if (this.writes.size === 0 && this.removals.size === 0) {
      // A work folder opened for staging that nothing was staged in.
      this.abort();
      return;
    }
    let committed = false;
    this.guard(() => {
      const work = this.open();
      const plan: Plan = { write: [...this.writes].sort(), remove: [...this.removals].filter((id) => !this.writes.has(id)).sort() };
      fs.writeFileSync(path.join(work, `${PLAN}.tmp`), JSON.stringify(plan));
      fs.renameSync(path.join(work, `${PLAN}.tmp`), path.join(work, PLAN));
      committed = true;
      step();
      rollForward(this.out, work, plan);
      discard(this.out, work);
      this.work = undefined;
    }, () => committed);
  }

  /** Drops everything staged: `out` stays as it was. */
  public abort(): void {
    if (this.work !== undefined) discard(this.out, this.work);
    this.work = undefined;
    if (this.created === undefined) return;
    // The output folder is made when the first folder is staged: an aborted write leaves none.
    for (let dir = this.out; ; dir = path.dirname(dir)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        break;
      }
      if (dir === this.created) break;
    }
    this.created = undefined;
  }

  /** The work folder, made and locked on first use. */
  private open(): string {
    if (this.work !== undefined) return this.work;
    const work = path.join(this.out, WORK_FOLDER);
    this.created ??= fs.mkdirSync(this.out, { recursive: true });
    try {
      fs.mkdirSync(work);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw busy(this.out, work);
      throw e;
    }
    this.work = work;
    fs.writeFileSync(path.join(work, OWNER), `${process.pid}\n`);
    step();
    return work;
  }

  /**
   * Runs a step; a failure (no space, permission denied) is cleaned up like an interruption, if it
   * can be: dropped before the commit, completed after it. Otherwise the next run does it.
   */
  private guard(action: () => void, committed: () => boolean = () => false): void {
    try {
      action();
    } catch (e) {
      try {
        if (committed()) recoverInterruptedWrite(this.out);
        else this.abort();
      } catch {
        // The first error is the one to report.
      }
      this.work = undefined;
      throw e;
    }
  }
}

/**
 * Step 1 for one folder: its files under `<staged>/<id>/` (`<work>/staged/`), each folder made
 * once. A file whose content is already in a file of the current folder (`unchanged` gives its
 * path) is hard-linked from it instead of written: no new inode, which on some file systems costs
 * far more than the write (a journal-less ext4 skips every recently deleted inode while looking for
 * a free one, issue 17). Where links are not possible, the file is written.
 */
export function stageFolder(staged: string, id: string, content: FolderContent, unchanged: (file: string) => string | undefined = () => undefined): void {
  let first = true;
  // Each folder created once, not once per file (a thousand instances: 40 000 mkdir calls, 31 000 of them EEXIST).
  const made = new Set<string>();
  for (const [file, text] of content) {
    const target = path.join(staged, id, file);
    const folder = path.dirname(target);
    if (!made.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    if (!linked(unchanged(file), target)) fs.writeFileSync(target, text);
    if (first) step();
    first = false;
  }
  step();
}

/** Whether `target` now links to `source` (no source, or a file system without links: no). */
function linked(source: string | undefined, target: string): boolean {
  if (source === undefined) return false;
  try {
    fs.linkSync(source, target);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finishes or discards what an interrupted FolderReplacement left in `out`: a committed write is
 * completed, an uncommitted one dropped, trash deleted. Called at the start of every write.
 */
export function recoverInterruptedWrite(out: string): void {
  if (!fs.existsSync(out) || !fs.statSync(out).isDirectory()) return;
  const work = path.join(out, WORK_FOLDER);
  if (fs.existsSync(work)) {
    const owner = ownerOf(work);
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw busy(out, work);
    const planFile = path.join(work, PLAN);
    if (fs.existsSync(planFile)) rollForward(out, work, JSON.parse(fs.readFileSync(planFile, 'utf8')) as Plan);
    discard(out, work);
  }
  for (const name of fs.readdirSync(out)) {
    if (name.startsWith(TRASH_PREFIX)) fs.rmSync(path.join(out, name), { recursive: true, force: true });
  }
}

/** Step 3, from wherever it stopped: every planned folder swapped, the replaced ones in `old/`. */
function rollForward(out: string, work: string, plan: Plan): void {
  fs.mkdirSync(path.join(work, OLD), { recursive: true });
  for (const id of [...plan.write, ...plan.remove].sort()) {
    const target = path.join(out, id);
    const staged = path.join(work, STAGED, id);
    const writing = plan.write.includes(id);
    // A folder still staged (or still present when removed) has not been swapped in yet, so
    // what is at its place is the old one.
    if (writing && !fs.existsSync(staged)) continue;
    if (fs.existsSync(target)) {
      fs.renameSync(target, path.join(work, OLD, id));
      step();
    }
    if (writing) {
      fs.renameSync(staged, target);
      step();
    }
  }
}

/** Step 4: the work folder out of the way in one rename, then deleted. */
function discard(out: string, work: string): void {
  const trash = path.join(out, `${TRASH_PREFIX}${process.pid}`);
  fs.rmSync(trash, { recursive: true, force: true });
  fs.renameSync(work, trash);
  step();
  fs.rmSync(trash, { recursive: true, force: true });
}

function ownerOf(work: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(work, OWNER), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    // Killed before it wrote its pid: nobody owns it.
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, but another user's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function busy(out: string, work: string): FileError {
  const owner = ownerOf(work);
  const who = owner !== undefined ? `process ${owner}` : 'another process';
  return new FileError(path.relative(process.cwd(), out) || '.', `${who} is writing this folder right now; run again when it is done (if no such process runs, delete ${path.relative(process.cwd(), work)})`);
}

/**
 * Test-only fault injection: after `crashAtStep(n)`, the process kills itself (SIGKILL, no
 * clean-up) at its n-th write step, so that test/cli/crash.test.ts can check the tree after a
 * crash at each step. bin/mastodon-cdk8s.js sets it from MASTODON_CDK8S_CRASH_AT_STEP; it changes
 * nothing that is written.
 */
export function crashAtStep(n: number): void {
  crashStep = n;
}

let crashStep = 0;
let steps = 0;

function step(): void {
  steps += 1;
  if (steps === crashStep) process.kill(process.pid, 'SIGKILL');
}
