import { QueueSpec } from '../config/types';

/** Queue names of a pool, in the order given. */
export function queueNames(queues: QueueSpec): string[] {
  return Array.isArray(queues) ? [...queues] : Object.keys(queues);
}

/**
 * `sidekiq` arguments for a pool: `-c <threads>` and one `-q` per queue. A map gives weighted
 * queues (`-q default,8`); a list gives strict priority in list order (`-q default`).
 * @see https://github.com/sidekiq/sidekiq/wiki/Advanced-Options#queues
 */
export function sidekiqArgs(threads: number, queues: QueueSpec): string[] {
  const q = Array.isArray(queues)
    ? queues.map((name) => name)
    : Object.entries(queues).map(([name, weight]) => `${name},${weight}`);
  return ['-c', String(threads), ...q.flatMap((spec) => ['-q', spec])];
}
