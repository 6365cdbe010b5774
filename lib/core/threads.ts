import { Worker } from 'node:worker_threads';

/**
 * A job for a worker thread: `source` is the body of a function of `require` and `data`, evaluated
 * on the thread, so it can use nothing but those two and JavaScript's globals. `data` is copied to
 * the thread (a SharedArrayBuffer in it is shared).
 */
export interface ThreadJob {
  readonly source: string;
  readonly data: unknown;
}

/**
 * A worker thread started ahead and idle until given a job: the CLI's launcher starts one while it
 * loads the bundle (bin/spare-thread.js), because starting a thread takes tens of milliseconds that
 * a job started later waits for. Returns the thread, now running `job`, or undefined when the
 * thread was already taken.
 */
export type SpareThread = (job: ThreadJob) => Worker | undefined;

/** A thread running `job`: the spare one while it is free, else a new one. */
export function threadFor(job: ThreadJob, spare?: SpareThread): Worker {
  return spare?.(job) ?? new Worker(`(function (require, data) {\n${job.source}\n})(require, require('node:worker_threads').workerData);`, { eval: true, workerData: job.data });
}
