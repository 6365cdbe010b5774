import { RedisRole, ResourcesConfig } from '../config/types';
import { cpu, memory, parseCpuMillis, parseMemoryMiB } from './quantity';

/**
 * Starting sizes of a Dragonfly by role. Dragonfly runs one thread per CPU of its limit
 * (`--proactor_threads` follows the cgroup) and caps its data at 80% of the memory limit
 * (`--maxmemory` 0 = cgroup-aware), so the limits are the real settings. Memory is requested at
 * the limit: a data store must not live on overcommitted memory.
 * @see https://www.dragonflydb.io/docs/managing-dragonfly/flags
 */
export interface DragonflyFactors {
  readonly cpuRequestMillis: number;
  /** One Dragonfly thread per 1000m. */
  readonly cpuLimitMillis: number;
  readonly memoryMiB: number;
}

export const DRAGONFLY_FACTORS: Readonly<Record<RedisRole, DragonflyFactors>> = {
  // Home feeds and streaming's pub/sub: the biggest data set of the three.
  mastodon: { cpuRequestMillis: 500, cpuLimitMillis: 2000, memoryMiB: 2048 },
  // Queues, retries and scheduled jobs; grows when workers fall behind.
  sidekiq: { cpuRequestMillis: 500, cpuLimitMillis: 2000, memoryMiB: 2048 },
  // Evicts near maxmemory (cache mode), so its size is a choice, not a need.
  cache: { cpuRequestMillis: 250, cpuLimitMillis: 1000, memoryMiB: 1024 },
};

/** Dragonfly's maxmemory when none is set: this share of the memory limit. */
export const DRAGONFLY_MAXMEMORY_RATIO = 0.8;
/** Dragonfly refuses to start with less maxmemory than this per thread. */
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

/** The role's factors, with any field the user set taking precedence (the memory request follows the limit). */
export function dragonflyResources(role: RedisRole, override: ResourcesConfig = {}, factors: DragonflyFactors = DRAGONFLY_FACTORS[role]): DragonflyResources {
  const memoryLimit = override.limits?.memory ?? memory(factors.memoryMiB);
  return {
    requests: {
      cpu: override.requests?.cpu ?? cpu(factors.cpuRequestMillis),
      memory: override.requests?.memory ?? memoryLimit,
    },
    limits: {
      cpu: override.limits?.cpu ?? cpu(factors.cpuLimitMillis),
      memory: memoryLimit,
    },
  };
}

/** The threads Dragonfly runs for a CPU limit (counted up, to stay on the safe side). */
export function dragonflyThreads(cpuLimit: string): number {
  return Math.max(1, Math.ceil(parseCpuMillis(cpuLimit) / 1000));
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
