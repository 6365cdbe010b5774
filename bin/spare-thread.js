'use strict';
// A worker thread started ahead (lib/core/threads.ts, SpareThread): the launcher starts one before
// loading the bundle, so that the thread's own start (tens of milliseconds) overlaps the bundle's
// load instead of delaying its job. Only where the last run of the same command wanted a thread (a
// hosting provider's thousand output folders to check): a thread nobody takes costs a few dozen
// milliseconds of CPU. Where the last run also left the job this run will most likely ask for
// (`remember`: the check of the output folders it has just written), the thread starts on it at
// once, and a run that asks for exactly that job takes the thread already under way.
const fs = require('node:fs');
const { Worker } = require('node:worker_threads');

/**
 * The thread runs the first job it is sent: `source`, the body of a function of `require` and
 * `data`; a remembered job's data comes as JSON (parsed here, not on the launching thread) and its
 * shared buffers.
 */
const IDLE = `const { parentPort } = require('node:worker_threads');
parentPort.once('message', (job) => {
  parentPort.close();
  const data = job.json === undefined ? job.data : Object.assign(JSON.parse(job.json), job.shared);
  new Function('require', 'data', job.source)(require, data);
});`;

/**
 * A spare thread for one run, started now if `hintFile` says the last run wanted one.
 * - `take(job)`: the thread running `job`, with the shared buffers it runs with (the top-level
 *   SharedArrayBuffer fields of its data); undefined when there is no spare thread (left), and the
 *   caller starts its own. A thread started on a remembered job that is the same as `job` (same
 *   source, same data, shared buffers of the same sizes) is under way already, on buffers of its
 *   own, which the caller must use instead of `job`'s.
 * - `remember(job)`: the job the next run will most likely ask for (by default the one taken).
 * - `release()`: this run takes no thread; one started on a remembered job stops now.
 * - `done()`: stops the thread if nobody took it, and leaves `hintFile` for the next run exactly
 *   when this run asked for a thread or remembered a job (a first synth checks nothing, but the
 *   next one will).
 * Never keeps the process alive.
 */
function spareThread(hintFile) {
  const hint = readHint(hintFile);
  let idle = hint ? startIdle() : undefined;
  /** The remembered job the thread was started on: its stored form, and the shared buffers it runs with. */
  let started;
  if (idle && hint.job) {
    const shared = Object.fromEntries(Object.entries(hint.job.shared).map(([key, bytes]) => [key, new SharedArrayBuffer(bytes)]));
    idle.postMessage({ source: hint.job.source, json: hint.job.data, shared });
    started = { stored: hint.job, shared };
  }
  let wanted = false;
  let next;
  return {
    take(job) {
      wanted = true;
      next = job;
      const thread = idle;
      idle = undefined;
      if (thread === undefined) return undefined;
      if (started === undefined) {
        thread.postMessage(job);
        return { thread, shared: sharedOf(job) };
      }
      if (sameJob(stored(job), started.stored)) return { thread, shared: started.shared };
      void thread.terminate();
      return undefined;
    },
    remember(job) {
      wanted = true;
      next = job;
    },
    release() {
      void idle?.terminate();
      idle = undefined;
    },
    done() {
      void idle?.terminate();
      idle = undefined;
      // Only an optimisation: a hint that cannot be written (read-only node_modules) is skipped.
      try {
        if (wanted) fs.writeFileSync(hintFile, JSON.stringify(next ? { job: stored(next) } : {}));
        else fs.rmSync(hintFile, { force: true });
      } catch {
        // keep going without it
      }
    },
  };
}

/** A job as the hint keeps it: its data's shared buffers (top-level fields) by size, the rest as JSON. */
function stored(job) {
  const rest = Object.fromEntries(Object.entries(job.data).filter(([, value]) => !(value instanceof SharedArrayBuffer)));
  const shared = Object.fromEntries(Object.entries(sharedOf(job)).map(([key, buffer]) => [key, buffer.byteLength]));
  return { source: job.source, data: JSON.stringify(rest), shared };
}

/** The shared buffers among the top-level fields of a job's data. */
function sharedOf(job) {
  return Object.fromEntries(Object.entries(job.data).filter(([, value]) => value instanceof SharedArrayBuffer));
}

function sameJob(a, b) {
  return a.source === b.source && a.data === b.data && JSON.stringify(a.shared) === JSON.stringify(b.shared);
}

/** The hint the last run left: `{}`, or `{ job }` as `stored` gives it; undefined when there is none or it does not parse. */
function readHint(hintFile) {
  try {
    const hint = JSON.parse(fs.readFileSync(hintFile, 'utf8'));
    const job = hint?.job;
    if (job === undefined) return {};
    const valid = typeof job.source === 'string' && typeof job.data === 'string' && typeof job.shared === 'object' && job.shared !== null
      && Object.values(job.shared).every((bytes) => Number.isInteger(bytes) && bytes >= 0);
    return valid ? hint : {};
  } catch {
    return undefined;
  }
}

function startIdle() {
  try {
    const thread = new Worker(IDLE, { eval: true });
    thread.unref();
    // Only an optimisation: a failed spare makes the job start its own thread, or run without one.
    thread.on('error', () => undefined);
    return thread;
  } catch {
    return undefined;
  }
}

module.exports = { spareThread };
