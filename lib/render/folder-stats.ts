import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { SpareThread, StartedThread, threadFor, ThreadJob } from '../core/threads';

/**
 * Whether output folders are still as the last write left them, told from the stats of every
 * folder and file in them (./write.ts), on two threads (issue 17). Telling it is one lstat per
 * entry, kernel time mostly: about 0.2 s for the 68 000 entries of 1000 instances, as much as the
 * whole rest of a re-synth after a one-instance change. So a worker thread starts checking the
 * folders as soon as the write manifest is read, while the main thread hashes the inputs and
 * renders what changed; when the main thread needs the answers, it checks the rest itself, from the
 * other end, and never waits for the worker (see checkFolders). The answers are the ones a check on
 * the main thread alone gives; without the worker (too few entries, or it failed), it is that check.
 * The CLI's launcher starts a spare thread while it loads the bundle (../core/threads.ts), on the
 * check the last run remembered (of the folders it wrote): a check that is exactly that one takes
 * the thread under way, with the answers it has so far.
 */

/**
 * Folders to check: each with its name, its path list (an index into `shapes`, lists written by
 * pathTemplate) and the stats hash recorded for it.
 */
export interface StatsInput {
  readonly shapes: readonly (readonly string[])[];
  readonly folders: readonly { readonly dir: string; readonly name: string; readonly shape: number; readonly stats: string }[];
}

/**
 * Stands for a folder's own name in its path list. An instance's files are named after it
 * (`argocd/AppProject.<id>.yaml`), so with the name taken out a thousand instances share a few
 * lists, and the lists (the write manifest, and what the worker is sent) are a few kilobytes
 * instead of megabytes. No file name holds a NUL.
 */
export const FOLDER_NAME = '\0';

/** `paths` of the folder `name`, with every occurrence of its name written as FOLDER_NAME. */
export function pathTemplate(paths: readonly string[], name: string): string[] {
  return paths.map((rel) => rel.split(name).join(FOLDER_NAME));
}

/**
 * Fewest entries for which a worker checks too. Starting one costs about 20 ms, as long as about
 * 7000 lstats (measured on 2 cores, Node 20); below this the main thread checks alone.
 */
export const STATS_WORKER_FROM = 8000;

/** Whether a second thread checks too. */
export interface StatsThreads {
  /** Fewest entries for a worker thread to check too; Infinity for never (lib/app/render-pool.ts, statsThreads). */
  readonly from: number;
  /** A thread started ahead, taken instead of starting one. @default a thread is started when needed */
  readonly spare?: SpareThread;
}

/** A folder's state in the shared array: 0 free, 1 claimed by a thread, then its answer (checkFolders). */
const MATCHES = 2;

export class FolderStatsCheck {
  /**
   * Tells the spare thread (../core/threads.ts) the check of `input` that the next run will most
   * likely make (the folders this run has just written), so that it starts on it as the next run
   * launches. Nothing when a check of `input` would not use a worker.
   */
  public static remember(input: StatsInput, threads: StatsThreads): void {
    if (threads.spare && entriesOf(input) >= threads.from) threads.spare.remember(jobFor(input, newState(input)));
  }

  private readonly state: Int32Array;
  private worker: Worker | undefined;
  private settled = false;

  constructor(private readonly input: StatsInput, threads: StatsThreads) {
    let state = newState(input);
    if (entriesOf(input) >= threads.from) {
      const started = startWorker(input, state, threads.spare);
      this.worker = started?.thread;
      // A spare thread already under way on this very check has its own state: the answers so far.
      if (started) state = new Int32Array(started.shared.state);
    } else threads.spare?.release();
    this.state = state;
  }

  /** Whether folder `index` of the input is as recorded (checking what the worker has not, the first time). */
  public matches(index: number): boolean {
    if (!this.settled) {
      checkFolders(fs, crypto, statsHashWith, FOLDER_NAME, this.input, this.state, false);
      this.settled = true;
      this.close();
    }
    return Atomics.load(this.state, index) === MATCHES;
  }

  /** Stops the worker, if it still runs. */
  public close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

/** The stats hash of the folder `dir`, named `name`, whose paths `template` lists (FolderRecord.stats in ./write.ts). */
export function statsHash(dir: string, name: string, template: readonly string[]): string {
  return statsHashWith(fs, crypto, FOLDER_NAME, dir, name, template);
}

function entriesOf(input: StatsInput): number {
  return input.folders.reduce((sum, folder) => sum + (input.shapes[folder.shape]?.length ?? 0), 0);
}

/** One state per folder, all free. */
function newState(input: StatsInput): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Math.max(1, input.folders.length)));
}

/** The worker's job: the two functions below run as their own source, loading nothing but node:fs and node:crypto. */
function jobFor(input: StatsInput, state: Int32Array): ThreadJob {
  const source = `(${String(checkFolders)})(require('node:fs'), require('node:crypto'), ${String(statsHashWith)}, ${JSON.stringify(FOLDER_NAME)}, data.input, new Int32Array(data.state), true);`;
  return { source, data: { input, state: state.buffer as SharedArrayBuffer } };
}

function startWorker(input: StatsInput, state: Int32Array, spare: SpareThread | undefined): StartedThread | undefined {
  try {
    const started = threadFor(jobFor(input, state), spare);
    // Only an optimisation: whatever the worker did not answer, the main thread checks.
    started.thread.on('error', () => undefined);
    started.thread.unref();
    return started;
  } catch {
    return undefined;
  }
}

/**
 * Checks folders, recording each answer in `state`. The worker (`fromFront`) claims free folders
 * from the front until it meets one the main thread has claimed. The main thread goes from the
 * back through all of them and checks every one not yet answered, including one the worker is still
 * on: the stats are only read, so both answers are true, and nobody waits.
 *
 * Runs in the worker as source (String(checkFolders)): it must use nothing but its parameters and
 * JavaScript's globals.
 */
function checkFolders(fsModule: typeof fs, cryptoModule: typeof crypto, hashWith: typeof statsHashWith, folderName: string, input: StatsInput, state: Int32Array, fromFront: boolean): void {
  const count = input.folders.length;
  for (let step = 0; step < count; step += 1) {
    const index = fromFront ? step : count - 1 - step;
    // 0 free, 1 claimed, 2 matches, 3 differs (literal: this runs as source).
    const was = Atomics.compareExchange(state, index, 0, 1);
    if (was >= 2) continue;
    if (was === 1 && fromFront) return;
    const { dir, name, shape, stats } = input.folders[index];
    const template = input.shapes[shape];
    let same = false;
    try {
      same = Array.isArray(template) && template.length > 0 && typeof stats === 'string' && hashWith(fsModule, cryptoModule, folderName, dir, name, template) === stats;
    } catch {
      same = false;
    }
    Atomics.store(state, index, same ? 2 : 3);
  }
}

/**
 * The sha256 of the paths `template` lists below `dir` ('/' for `dir` itself; `folderName` in them
 * stands for `name`, pathTemplate) and of each one's size, modification and change times and
 * inode. The change time catches what the others may not: it is set by every write, rename and
 * link, and no call sets it back (a file replaced by a copy with the same size and times has a
 * later one, even where inode numbers above 2^53 lose their last bits as numbers). Numbers, not
 * bigints, written into one array: a thousand folders are 68 000 entries. Runs in the worker as
 * source too: nothing but its parameters.
 */
function statsHashWith(fsModule: typeof fs, cryptoModule: typeof crypto, folderName: string, dir: string, name: string, template: readonly string[]): string {
  const stats = new Float64Array(template.length * 4);
  template.forEach((entry, i) => {
    const rel = entry.includes(folderName) ? entry.split(folderName).join(name) : entry;
    // Concatenated, not path.join'ed: `rel` is already normal, and a thousand instances' files are many joins.
    const s = fsModule.lstatSync(rel === '/' ? dir : `${dir}/${rel}`);
    stats[i * 4] = s.size;
    stats[i * 4 + 1] = s.mtimeMs;
    stats[i * 4 + 2] = s.ctimeMs;
    stats[i * 4 + 3] = s.ino;
  });
  return cryptoModule.createHash('sha256').update(JSON.stringify(template)).update(name).update(new Uint8Array(stats.buffer)).digest('hex');
}
