/**
 * Named sizing factors of Mastodon's processes (web, streaming, Sidekiq, Rails tasks): their
 * resources come from these through the functions in ./resources.ts, and a queue-plan or instance
 * override replaces the result. Dragonfly is sized by ./dragonfly.ts (DRAGONFLY_FACTORS), the
 * backup Jobs by lib/constructs/backup/resources.ts.
 *
 * Starting points from production Mastodon servers: a Sidekiq process idles at roughly 350–400 MiB
 * and grows with its thread count; a Puma worker holds 300–400 MiB; the streaming server (Node) is
 * small. Memory limits leave headroom for spikes (media processing in Sidekiq, boot in Puma).
 * CPU gets requests only: a CPU limit throttles Ruby in bursts without protecting anyone.
 */

export interface SidekiqFactors {
  /** Memory of an idle Sidekiq process (Rails loaded). */
  readonly memoryBaseMiB: number;
  /** Extra memory per Sidekiq thread. */
  readonly memoryPerThreadMiB: number;
  /** CPU requested per thread (threads mostly wait on I/O). */
  readonly cpuPerThreadMillis: number;
  /** Lower bound of the CPU request. */
  readonly cpuMinMillis: number;
  /** Memory limit as a multiple of the memory request. */
  readonly memoryLimitRatio: number;
}

export const SIDEKIQ_FACTORS: SidekiqFactors = {
  memoryBaseMiB: 384,
  memoryPerThreadMiB: 32,
  cpuPerThreadMillis: 50,
  cpuMinMillis: 100,
  memoryLimitRatio: 1.5,
};

export interface WebFactors {
  /** Memory of the Puma master process. */
  readonly memoryBaseMiB: number;
  /** Memory of one Puma worker (a forked Rails process). */
  readonly memoryPerWorkerMiB: number;
  /** Extra memory per Puma thread. */
  readonly memoryPerThreadMiB: number;
  /** CPU requested per Puma thread. */
  readonly cpuPerThreadMillis: number;
  readonly cpuMinMillis: number;
  readonly memoryLimitRatio: number;
}

export const WEB_FACTORS: WebFactors = {
  memoryBaseMiB: 192,
  memoryPerWorkerMiB: 320,
  memoryPerThreadMiB: 16,
  cpuPerThreadMillis: 25,
  cpuMinMillis: 100,
  memoryLimitRatio: 1.5,
};

export interface StreamingFactors {
  readonly memoryBaseMiB: number;
  /** Extra memory per PostgreSQL connection in the pod's pool. */
  readonly memoryPerDbConnectionMiB: number;
  readonly cpuMillis: number;
  readonly memoryLimitRatio: number;
}

export const STREAMING_FACTORS: StreamingFactors = {
  memoryBaseMiB: 192,
  memoryPerDbConnectionMiB: 4,
  cpuMillis: 100,
  memoryLimitRatio: 2,
};

/**
 * A one-off Rails task (migrations, `tootctl` maintenance): one Rails process, no threads to speak
 * of. Data migrations load records in batches, so the limit leaves room above the booted process.
 */
export interface RailsTaskFactors {
  readonly memoryMiB: number;
  readonly cpuMillis: number;
  readonly memoryLimitRatio: number;
}

export const RAILS_TASK_FACTORS: RailsTaskFactors = {
  memoryMiB: 768,
  cpuMillis: 250,
  memoryLimitRatio: 2,
};
