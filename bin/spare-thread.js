'use strict';
// A worker thread started ahead and idle until given a job (lib/core/threads.ts, SpareThread): the
// launcher starts one before loading the bundle, so that the thread's own start (tens of
// milliseconds) overlaps the bundle's load instead of delaying the job.
const { Worker } = require('node:worker_threads');

/** The thread runs the first job it is sent: `source`, the body of a function of `require` and `data`. */
const IDLE = `const { parentPort } = require('node:worker_threads');
parentPort.once('message', (job) => {
  parentPort.close();
  new Function('require', 'data', job.source)(require, job.data);
});`;

/**
 * Starts the spare thread. `take(job)` hands it `job` and returns it (undefined once taken, or when
 * it could not start); `dispose()` stops it if nobody took it. It never keeps the process alive.
 */
function startSpareThread() {
  let idle;
  try {
    idle = new Worker(IDLE, { eval: true });
    idle.unref();
    // Only an optimisation: a failed spare makes the job start its own thread, or run without one.
    idle.on('error', () => undefined);
  } catch {
    idle = undefined;
  }
  return {
    take(job) {
      const thread = idle;
      idle = undefined;
      thread?.postMessage(job);
      return thread;
    },
    dispose() {
      void idle?.terminate();
      idle = undefined;
    },
  };
}

module.exports = { startSpareThread };
