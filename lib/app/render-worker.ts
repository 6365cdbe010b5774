import { parentPort, workerData } from 'node:worker_threads';
import { ClusterFiles } from '../config/clusters';
import { SharedDefaults } from '../config/shared-defaults';
import { InstanceWriter } from './instance-writer';
import { loadInstance } from './load';
import { renderInstance } from './render';
import { Done, Job, renderOutcome, WorkerData } from './render-pool';

/**
 * A worker thread's side of runInWorkers (./render-pool.ts), started by bin/mastodon-cdk8s.js
 * with the same bundle: for each instance folder it is sent, either the whole render (task
 * `render`, with the shared defaults and cluster files read once per worker, as `loadSelected` in
 * lib/cli/main.ts reads them), or the report of an InstanceWriter (task `write`).
 */
export function renderWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('renderWorker runs in a worker thread');
  const { task } = workerData as WorkerData;
  let work: (dir: string) => unknown;
  if (task.task === 'write') {
    const writer = new InstanceWriter(task.context);
    work = (dir) => writer.write(dir);
  } else {
    const defaults = new SharedDefaults();
    const clusters = new ClusterFiles();
    work = (dir) => renderOutcome(() => renderInstance(loadInstance(dir, defaults, undefined, clusters)));
  }
  port.on('message', ({ index, dir }: Job) => {
    port.postMessage({ index, report: work(dir) } satisfies Done<unknown>);
  });
}
