import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { LoadedInstance } from '../config/types';
import { SpareThread } from '../core/threads';
import { STATS_WORKER_FROM, StatsThreads } from '../render/folder-stats';
import { Failure, failureOf, rethrow } from './failure';
import { renderInstance, RenderResult } from './render';
import { RenderCache } from './render-cache';
import type { WriteContext } from './instance-writer';

/**
 * Renders the instances a run must render (those not in the render cache) on all cores, with
 * worker threads (issue 17). Each worker loads the same CLI bundle (bin/mastodon-cdk8s.js) and
 * pulls one instance folder at a time (./render-worker.ts): for synth, it loads, renders, keeps
 * and writes the instance itself and reports back a few facts (./instance-writer.ts,
 * ./render-stream.ts); for diff, it sends the render back (`prerender`, for `renderAll`). Either
 * way it does exactly what the main thread would, and problems come back as data, reported in
 * instance order after all instances, as after a serial render: the output, the warnings and the
 * messages are the same.
 */

/** How the CLI may render in parallel (bin/mastodon-cdk8s.js). */
export interface ParallelOptions {
  /** The script a worker runs: it must call `renderWorker()` from the bundle. */
  readonly workerFile: string;
  /**
   * Fewest instances to render for workers to be used: below it, starting them (about 50 ms each,
   * loading the bundle) costs more than they save. @default PARALLEL_FROM
   */
  readonly minInstances?: number;
  /** Workers at most. @default os.availableParallelism() */
  readonly workers?: number;
  /** The old-generation heap of each worker, in MiB. @default WORKER_HEAP_MB */
  readonly workerHeapMb?: number;
  /**
   * Fewest entries in the output folders the last write recorded for a worker thread to check
   * their stats beside the main thread (lib/render/folder-stats.ts). @default STATS_WORKER_FROM
   */
  readonly statsWorkerFrom?: number;
  /** A thread started ahead, which the stats check takes instead of starting one (bin/spare-thread.js). @default a thread is started when needed */
  readonly spareThread?: SpareThread;
}

/**
 * Each worker's old-generation heap. A render keeps well under 48 MiB alive (measured: 1000
 * generated instances render at 48 MiB, though with the collector running all the time), and V8
 * lets an unbounded heap grow to several times what is alive: with 128 MiB two workers and the
 * main thread peak at about 370 MiB instead of 530 MiB (1000 instances, 2 cores) at the same CPU
 * time. An instance that needs more is rendered in the main thread, which has no such limit.
 */
export const WORKER_HEAP_MB = 128;

/**
 * Renders of fewer instances stay in the main thread. Each worker starts cold (about 150 ms of
 * start, bundle load and JIT warm-up), and a serial render already keeps V8's compiler and garbage
 * collector busy on a second core: measured on 2 cores (synth --no-cache, wall), 12 instances
 * 0.37 s serial / 0.52 s on workers, 30: 0.67 / 0.78, 60: 1.20 / 1.21, 300: 4.8 / 4.05.
 */
export const PARALLEL_FROM = 64;

/** Whether a worker thread checks output folders' stats too: never without parallel options. */
export function statsThreads(parallel: ParallelOptions | undefined): StatsThreads {
  return parallel ? { from: parallel.statsWorkerFrom ?? STATS_WORKER_FROM, spare: parallel.spareThread } : { from: Infinity };
}

/** What a worker sends back for one instance: its render, or why it did not render. */
export type Outcome = { readonly result: RenderResult } | Failure;

/** One instance folder for a worker, by its index in the caller's list. */
export interface Job {
  readonly index: number;
  readonly dir: string;
}

/** What a worker answers for a job. */
export interface Done<R> {
  readonly index: number;
  readonly report: R;
}

/** Marks a worker started by runInWorkers, for the worker script (bin/mastodon-cdk8s.js). */
export const RENDER_WORKER_MARKER = 'mastodon-cdk8s render worker';

/** What a worker is for (./render-worker.ts): renders sent back whole, or written into the output by the worker (./instance-writer.ts). */
export type WorkerTask = { readonly task: 'render' } | { readonly task: 'write'; readonly context: WriteContext };

/** A worker's `workerData`. */
export interface WorkerData {
  readonly marker: typeof RENDER_WORKER_MARKER;
  readonly task: WorkerTask;
}

/**
 * The render of each instance for `renderAll`: from the cache when it holds it, else rendered, in
 * worker threads when there are at least `minInstances` to render and more than one worker, else
 * here. Renders are kept in the cache as they would be by `RenderCache.render`.
 */
export async function prerender(instances: readonly LoadedInstance[], cache: RenderCache | undefined, parallel: ParallelOptions | undefined): Promise<(loaded: LoadedInstance) => RenderResult> {
  const renderHere = (loaded: LoadedInstance) => (cache ? cache.render(loaded, renderInstance) : renderInstance(loaded));
  if (!parallel) return renderHere;
  const hits = new Map<LoadedInstance, RenderResult>();
  const misses: LoadedInstance[] = [];
  for (const loaded of instances) {
    const cached = cache?.lookup(loaded.dir)?.result();
    if (cached) hits.set(loaded, cached);
    else misses.push(loaded);
  }
  const workers = Math.min(parallel.workers ?? os.availableParallelism(), misses.length);
  if (misses.length < (parallel.minInstances ?? PARALLEL_FROM) || workers < 2) {
    return (loaded) => hits.get(loaded) ?? store(cache, loaded, renderInstance(loaded));
  }
  const outcomes: Outcome[] = new Array(misses.length);
  await runInWorkers<Outcome>(misses.map((m) => m.dir), parallel, workers, { task: 'render' }, (index, outcome) => {
    outcomes[index] = outcome;
  }, (dir) => renderOutcome(() => renderInstance(misses.find((m) => m.dir === dir)!)));
  const rendered = new Map(misses.map((loaded, i) => [loaded, outcomes[i]]));
  for (const [loaded, outcome] of rendered) if ('result' in outcome) cache?.store(loaded, outcome.result);
  return (loaded) => hits.get(loaded) ?? replay(loaded, rendered.get(loaded)!);
}

function store(cache: RenderCache | undefined, loaded: LoadedInstance, result: RenderResult): RenderResult {
  cache?.store(loaded, result);
  return result;
}

/** The render a worker sent, or the error the render threw, as it was thrown. */
function replay(loaded: LoadedInstance, outcome: Outcome): RenderResult {
  return 'result' in outcome ? outcome.result : rethrow(outcome, loaded.dir);
}

/**
 * Hands the instance folders to `count` workers doing `task`, and each report to `done` as it
 * arrives (in any order, with its index in `dirs`), so that the caller can write and drop each
 * render at once. A worker that runs out of its heap (WORKER_HEAP_MB) is replaced, and the
 * instance it was on is done by `here` in this thread.
 */
export function runInWorkers<R>(dirs: readonly string[], options: ParallelOptions, count: number, task: WorkerTask, done: (index: number, report: R) => void, here: (dir: string) => R): Promise<void> {
  return new Promise((resolve, reject) => {
    const pool = new Set<Worker>();
    /** The jobs each worker holds, the one it is on first. */
    const current = new Map<Worker, Job[]>();
    let next = 0;
    let finished = 0;
    let failed = false;
    const stop = () => Promise.all([...pool].map((w) => w.terminate()));
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      void stop().then(() => reject(error), () => reject(error));
    };
    const finish = (index: number, report: R) => {
      finished += 1;
      try {
        done(index, report);
      } catch (e) {
        fail(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      if (finished === dirs.length) void stop().then(() => resolve(), reject);
    };
    const give = (worker: Worker) => {
      if (next >= dirs.length) return;
      const job = { index: next, dir: dirs[next] } satisfies Job;
      next += 1;
      current.get(worker)!.push(job);
      worker.postMessage(job);
    };
    const start = () => {
      const workerData: WorkerData = { marker: RENDER_WORKER_MARKER, task };
      const worker = new Worker(options.workerFile, { workerData, resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMb ?? WORKER_HEAP_MB } });
      pool.add(worker);
      current.set(worker, []);
      worker.on('message', ({ index, report }: Done<R>) => {
        if (failed) return;
        current.get(worker)!.shift();
        // The next job first, so that the worker always holds one more than it is on.
        give(worker);
        finish(index, report);
      });
      worker.on('error', (error: Error & { code?: string }) => {
        if (failed) return;
        if (error.code !== 'ERR_WORKER_OUT_OF_MEMORY') {
          fail(error);
          return;
        }
        pool.delete(worker);
        const held = current.get(worker) ?? [];
        current.delete(worker);
        if (next < dirs.length) start();
        // The job it was on, and the one it held next, here.
        for (const job of held) finish(job.index, here(job.dir));
      });
      worker.on('exit', (code) => {
        if (pool.has(worker) && finished < dirs.length) fail(new Error(`a render worker thread exited (code ${code}) before all instances were rendered`));
      });
      // Two jobs at once: the worker starts the second as it reports the first, without waiting
      // for this thread to answer (which it may be slow to do while it handles another report).
      give(worker);
      give(worker);
    };
    for (let i = 0; i < count; i += 1) start();
  });
}

/** A render as data: its result, or why it failed. */
export function renderOutcome(render: () => RenderResult): Outcome {
  try {
    return { result: render() };
  } catch (e) {
    return failureOf(e);
  }
}
