/** A pool's queues: names in priority order, or names with weights. */
export type QueueSpec = Readonly<Record<string, number>> | readonly string[];

/** Queue names of a pool, in the order given. */
export function queueNames(queues: QueueSpec): string[] {
  return Array.isArray(queues) ? [...queues] : Object.keys(queues);
}

/**
 * Graceful shutdown of a Sidekiq pod (rollouts, node drains), in seconds. A preStop hook quiets
 * Sidekiq (TSTP: it fetches no new job) and gives running jobs `quietSeconds` to finish; then
 * Kubernetes sends TERM and Sidekiq gives the jobs still running `timeoutSeconds` (its `-t`)
 * before it pushes them back to Redis to run again later. Sidekiq asks for `exitSeconds` more to
 * exit cleanly before a KILL.
 * @see https://github.com/sidekiq/sidekiq/wiki/Signals
 * @see https://github.com/sidekiq/sidekiq/wiki/Deployment
 */
export interface SidekiqShutdown {
  readonly quietSeconds: number;
  readonly timeoutSeconds: number;
  readonly exitSeconds: number;
}

export const SIDEKIQ_SHUTDOWN: SidekiqShutdown = {
  // Most Mastodon jobs take well under a second; this lets media processing finish.
  quietSeconds: 20,
  // Sidekiq's default.
  timeoutSeconds: 25,
  // "Your deploy scripts must give Sidekiq N+5 seconds to shutdown cleanly after the TERM signal."
  exitSeconds: 5,
};

/** The pod's terminationGracePeriodSeconds: longer than the quiet period and Sidekiq's timeout together. */
export function sidekiqGracePeriodSeconds(s: SidekiqShutdown = SIDEKIQ_SHUTDOWN): number {
  return s.quietSeconds + s.timeoutSeconds + s.exitSeconds;
}

/**
 * `sidekiq` arguments for a pool: `-c <threads>`, `-t <shutdown timeout>` and one `-q` per queue.
 * A map gives weighted queues (`-q default,8`); a list gives strict priority in list order
 * (`-q default`).
 * @see https://github.com/sidekiq/sidekiq/wiki/Advanced-Options#queues
 */
export function sidekiqArgs(threads: number, queues: QueueSpec, s: SidekiqShutdown = SIDEKIQ_SHUTDOWN): string[] {
  const q = Array.isArray(queues)
    ? queues.map((name) => name)
    : Object.entries(queues).map(([name, weight]) => `${name},${weight}`);
  return ['-c', String(threads), '-t', String(s.timeoutSeconds), ...q.flatMap((spec) => ['-q', spec])];
}
