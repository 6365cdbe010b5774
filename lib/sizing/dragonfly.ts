import { ResourcesConfig } from './resources';
import { RedisRole } from '../catalog/redis';
import { cpu, memory, parseCpuMillis, parseMemoryMiB } from '../core/quantity';

/**
 * Starting sizes of a Dragonfly by role. Dragonfly runs one thread per CPU of its limit (the
 * cgroup's `cpu.max` quota/period, rounded up: dragonflydb/dragonfly@v1.40.1
 * src/server/dfly_main.cc:676-700, 1145-1157) and caps its data at 80% of the memory limit
 * (`--maxmemory` 0, dfly_main.cc:1166-1180), so the limits are the real settings.
 * @see https://www.dragonflydb.io/docs/managing-dragonfly/flags
 */
export interface DragonflyFactors {
  /** Dragonfly threads (shards), one CPU of the limit each. */
  readonly threads: number;
  readonly memoryMiB: number;
}

// One thread each: a single Redis thread serves instances far larger than the reference one
// (~2 M Sidekiq jobs a day is ~25 jobs a second, each a handful of commands), and every thread is
// requested in full (see dragonflyResources). Raise `limits.cpu` when a role's CPU runs hot.
export const DRAGONFLY_FACTORS: Readonly<Record<RedisRole, DragonflyFactors>> = {
  // Home feeds and streaming's pub/sub: the biggest data set of the three.
  mastodon: { threads: 1, memoryMiB: 2048 },
  // Queues, retries and scheduled jobs; grows when workers fall behind.
  sidekiq: { threads: 1, memoryMiB: 2048 },
  // Evicts near maxmemory (cache mode), so its size is a choice, not a need.
  cache: { threads: 1, memoryMiB: 1024 },
};

/** The CPU a Dragonfly thread is given (and that makes Dragonfly start one more thread). */
export const CPU_MILLIS_PER_THREAD = 1000;

/** Dragonfly's maxmemory when none is set: this share of the memory limit (dfly_main.cc:1166-1180). */
export const DRAGONFLY_MAXMEMORY_RATIO = 0.8;
/** Dragonfly refuses to start with less maxmemory than this per thread (dfly_main.cc:316-322). */
export const DRAGONFLY_MIN_MIB_PER_THREAD = 256;
/** A snapshot volume holds the snapshot being written beside the previous one. */
export const SNAPSHOT_VOLUME_RATIO = 2;
/** DigitalOcean's smallest block storage volume. */
export const MIN_VOLUME_MIB = 1024;

/** A Dragonfly container's resources: both limits are always set, since Dragonfly sizes itself from them. */
export interface DragonflyResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/**
 * The role's factors, with any field the user set taking precedence. Both requests follow their
 * limits: each thread serves its own shard and runs busy under load, so a request below the
 * limit would leave threads waiting for CPU under node contention (and a data store must not
 * live on overcommitted memory). Equal requests and limits also make the pods Guaranteed, the
 * last to be evicted.
 */
export function dragonflyResources(role: RedisRole, override: ResourcesConfig = {}, factors: DragonflyFactors = DRAGONFLY_FACTORS[role]): DragonflyResources {
  const memoryLimit = override.limits?.memory ?? memory(factors.memoryMiB);
  const cpuLimit = override.limits?.cpu ?? cpu(factors.threads * CPU_MILLIS_PER_THREAD);
  return {
    requests: { cpu: override.requests?.cpu ?? cpuLimit, memory: override.requests?.memory ?? memoryLimit },
    limits: { cpu: cpuLimit, memory: memoryLimit },
  };
}

/** The threads Dragonfly runs for a CPU limit (counted up, to stay on the safe side). */
export function dragonflyThreads(cpuLimit: string): number {
  return Math.max(1, Math.ceil(parseCpuMillis(cpuLimit) / CPU_MILLIS_PER_THREAD));
}

/** What is wrong with a Dragonfly's resources, or undefined when Dragonfly can start with them. */
export function dragonflyResourcesProblem(resources: DragonflyResources): string | undefined {
  const { requests, limits } = resources;
  if (parseCpuMillis(requests.cpu) > parseCpuMillis(limits.cpu)) {
    return `the CPU request ${requests.cpu} is above the CPU limit ${limits.cpu}`;
  }
  if (parseMemoryMiB(requests.memory) > parseMemoryMiB(limits.memory)) {
    return `the memory request ${requests.memory} is above the memory limit ${limits.memory}`;
  }
  const threads = dragonflyThreads(limits.cpu);
  const needed = Math.ceil((threads * DRAGONFLY_MIN_MIB_PER_THREAD) / DRAGONFLY_MAXMEMORY_RATIO);
  if (parseMemoryMiB(limits.memory) < needed) {
    return `the memory limit ${limits.memory} is too small for ${threads} Dragonfly thread(s) (one per CPU of the limit ${limits.cpu}): `
      + `Dragonfly needs ${DRAGONFLY_MIN_MIB_PER_THREAD} MiB per thread out of ${DRAGONFLY_MAXMEMORY_RATIO * 100}% of the limit; `
      + `raise the memory limit to at least ${memory(needed)} or lower the CPU limit`;
  }
  return undefined;
}

/** The size of a snapshot volume for a memory limit. */
export function snapshotVolumeSize(memoryLimit: string): string {
  return memory(Math.max(MIN_VOLUME_MIB, parseMemoryMiB(memoryLimit) * SNAPSHOT_VOLUME_RATIO));
}
