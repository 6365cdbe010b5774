import { Worker } from 'node:worker_threads';

/**
 * A job for a worker thread: `source` is the body of a function of `require` and `data`, evaluated
 * on the thread, so it can use nothing but those two and JavaScript's globals. `data` is an object,
 * copied to the thread; a SharedArrayBuffer among its fields is shared.
 */
export interface ThreadJob {
  readonly source: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A thread running a job, and the shared buffers it runs with, by field of the job's data. */
export interface StartedThread {
  readonly thread: Worker;
  readonly shared: Readonly<Record<string, SharedArrayBuffer>>;
}

/**
 * A worker thread started ahead: the CLI's launcher starts one while it loads the bundle
 * (bin/spare-thread.js), because starting a thread takes tens of milliseconds that a job started
 * later waits for.
 */
export interface SpareThread {
  /**
   * The spare thread, now running `job`; undefined when it was taken already (the caller starts
   * its own). Where the last run remembered this very job, the thread started on it at launch and
   * is under way, on shared buffers of its own: the caller uses the ones returned, not its own.
   */
  take(job: ThreadJob): StartedThread | undefined;
  /** The job the next run will most likely ask for, which its spare thread then starts at launch (@default the job taken). */
  remember(job: ThreadJob): void;
  /** This run takes no thread: a spare one started on a remembered job stops now instead of at the end of the run. */
  release(): void;
}

/** A thread running `job`: the spare one while it is free, else a new one. */
export function threadFor(job: ThreadJob, spare?: SpareThread): StartedThread {
  return spare?.take(job) ?? {
    thread: new Worker(`(function (require, data) {\n${job.source}\n})(require, require('node:worker_threads').workerData);`, { eval: true, workerData: job.data }),
    shared: Object.fromEntries(Object.entries(job.data).filter((field): field is [string, SharedArrayBuffer] => field[1] instanceof SharedArrayBuffer)),
  };
}
