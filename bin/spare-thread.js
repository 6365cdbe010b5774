'use strict';
// A worker thread started ahead and idle until given a job (lib/core/threads.ts, SpareThread): the
// launcher starts one before loading the bundle, so that the thread's own start (tens of
// milliseconds) overlaps the bundle's load instead of delaying the job. Only where the last run of
// the same command wanted a thread (a hosting provider's thousand output folders to check): a
// thread nobody takes costs a few dozen milliseconds of CPU.
const fs = require('node:fs');
const { Worker } = require('node:worker_threads');

/** The thread runs the first job it is sent: `source`, the body of a function of `require` and `data`. */
const IDLE = `const { parentPort } = require('node:worker_threads');
parentPort.once('message', (job) => {
  parentPort.close();
  new Function('require', 'data', job.source)(require, job.data);
});`;

/**
 * A spare thread for one run, started now if `hintFile` says the last run wanted one. `take(job)`
 * hands it `job` and returns it (undefined when there is none, or it was taken: the caller starts
 * its own). `done()` stops it if nobody took it, and leaves `hintFile` for the next run exactly
 * when this run asked for a thread. Never keeps the process alive.
 */
function spareThread(hintFile) {
  let idle = fs.existsSync(hintFile) ? startIdle() : undefined;
  let wanted = false;
  return {
    take(job) {
      wanted = true;
      const thread = idle;
      idle = undefined;
      thread?.postMessage(job);
      return thread;
    },
    done() {
      void idle?.terminate();
      idle = undefined;
      // Only an optimisation: a hint that cannot be written (read-only node_modules) is skipped.
      try {
        if (wanted) fs.writeFileSync(hintFile, '');
        else fs.rmSync(hintFile, { force: true });
      } catch {
        // keep going without it
      }
    },
  };
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
