import * as os from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
import { ClusterFiles } from '../config/clusters';
import { SharedDefaults } from '../config/shared-defaults';
import { LoadedInstance } from '../config/types';
import { ConfigError, ConfigProblem } from '../core/errors';
import { ObjectProblem, ValidationError } from '../validate/object-problem';
import { loadInstance } from './load';
import { renderInstance, RenderResult } from './render';
import { RenderCache } from './render-cache';

/**
 * Renders the instances a run must render (those not in the render cache) on all cores, with
 * worker threads (issue 17). Each worker loads the same CLI bundle (bin/mastodon-cdk8s.js), pulls
 * one instance folder at a time, loads and renders it exactly as the main thread would
 * (`loadInstance`, `renderInstance`) and sends back the render or its problems as data. The main
 * thread then hands each instance's outcome to `renderAll` in instance order, which runs every
 * check across instances once and reports the problems of all of them together, as after a serial
 * render: the output, the warnings and the messages are the same.
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
}

/**
 * Renders of fewer instances stay in the main thread. Each worker starts cold (about 150 ms of
 * start, bundle load and JIT warm-up), and a serial render already keeps V8's compiler and garbage
 * collector busy on a second core: measured on 2 cores (synth --no-cache, wall), 12 instances
 * 0.37 s serial / 0.52 s on workers, 30: 0.67 / 0.78, 60: 1.20 / 1.21, 300: 4.8 / 4.05.
 */
export const PARALLEL_FROM = 64;

/** What a worker sends back for one instance: its render, or why it did not render. */
type Outcome =
  | { readonly result: RenderResult }
  | { readonly configProblems: readonly ConfigProblem[] }
  | { readonly validation: { readonly problems: readonly ObjectProblem[]; readonly summary: string } }
  | { readonly bug: string };

interface Job {
  readonly index: number;
  readonly dir: string;
}

interface Done {
  readonly index: number;
  readonly outcome: Outcome;
}

/** Marks a worker started by renderInParallel, for the worker script. */
export const RENDER_WORKER_DATA = 'mastodon-cdk8s render worker';

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
    const cached = cache?.lookup(loaded);
    if (cached) hits.set(loaded, cached);
    else misses.push(loaded);
  }
  const workers = Math.min(parallel.workers ?? os.availableParallelism(), misses.length);
  if (misses.length < (parallel.minInstances ?? PARALLEL_FROM) || workers < 2) {
    return (loaded) => hits.get(loaded) ?? store(cache, loaded, renderInstance(loaded));
  }
  const outcomes = await renderInParallel(misses.map((m) => m.dir), parallel.workerFile, workers);
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
  if ('result' in outcome) return outcome.result;
  if ('configProblems' in outcome) throw new ConfigError(outcome.configProblems);
  if ('validation' in outcome) throw new ValidationError(outcome.validation.problems, outcome.validation.summary);
  throw new Error(`rendering ${loaded.dir} in a worker thread failed: ${outcome.bug}`);
}

/** Renders the instance folders on `count` workers; the outcomes in the order of `dirs`. */
function renderInParallel(dirs: readonly string[], workerFile: string, count: number): Promise<Outcome[]> {
  return new Promise((resolve, reject) => {
    const outcomes: Outcome[] = new Array(dirs.length);
    const pool: Worker[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const stop = () => Promise.all(pool.map((w) => w.terminate()));
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      void stop().then(() => reject(error), () => reject(error));
    };
    const give = (worker: Worker) => {
      if (next < dirs.length) {
        worker.postMessage({ index: next, dir: dirs[next] } satisfies Job);
        next += 1;
      }
    };
    for (let i = 0; i < count; i += 1) {
      const worker = new Worker(workerFile, { workerData: RENDER_WORKER_DATA });
      pool.push(worker);
      worker.on('message', ({ index, outcome }: Done) => {
        outcomes[index] = outcome;
        done += 1;
        if (done === dirs.length) void stop().then(() => resolve(outcomes), reject);
        else give(worker);
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (done < dirs.length) fail(new Error(`a render worker thread exited (code ${code}) before all instances were rendered`));
      });
      give(worker);
    }
  });
}

/**
 * The worker's side: renders each instance folder it is sent, with the shared defaults and
 * cluster files read once per worker, as `loadSelected` in lib/cli/main.ts reads them.
 */
export function renderWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('renderWorker runs in a worker thread');
  const defaults = new SharedDefaults();
  const clusters = new ClusterFiles();
  port.on('message', ({ index, dir }: Job) => {
    port.postMessage({ index, outcome: renderOutcome(() => renderInstance(loadInstance(dir, defaults, undefined, clusters))) } satisfies Done);
  });
}

function renderOutcome(render: () => RenderResult): Outcome {
  try {
    return { result: render() };
  } catch (e) {
    if (e instanceof ConfigError) return { configProblems: e.problems };
    if (e instanceof ValidationError) return { validation: { problems: e.problems, summary: e.summary } };
    return { bug: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}
