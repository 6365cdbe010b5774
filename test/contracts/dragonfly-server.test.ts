import { parseCpuMillis, parseMemoryMiB } from '../../lib/core/quantity';
import { CPU_MILLIS_PER_THREAD, DRAGONFLY_MAXMEMORY_RATIO, DRAGONFLY_MIN_MIB_PER_THREAD } from '../../lib/sizing/dragonfly';
import { ofKind, renderedCases } from './rendered-cases';

/**
 * What the Dragonfly server (dragonflydb/dragonfly@v1.40.1, the pinned image) makes of the
 * resources the operator copies onto its container (dragonfly-operator@v1.6.1
 * internal/resources/resources.go:292-295).
 */
describe.each(renderedCases())('Dragonfly v1.40.1 and the resources of the Dragonflies of $name', ({ objects }) => {
  // src/server/dfly_main.cc:676-700: threads = ceil(cpu.max quota / period), i.e. the CPU limit rounded up;
  // 1145-1157: that count is used unless --proactor_threads is set.
  test('dfly_main.cc:676-700, 1145-1157: each Dragonfly requests the CPU of every thread its limit starts, and sets no thread count of its own', () => {
    for (const df of ofKind(objects, 'Dragonfly')) {
      const spec = df.object.spec as any;
      const threads = Math.ceil(parseCpuMillis(spec.resources.limits.cpu) / CPU_MILLIS_PER_THREAD);
      expect({ name: df.object.metadata.name, request: parseCpuMillis(spec.resources.requests.cpu) })
        .toEqual({ name: df.object.metadata.name, request: Math.min(threads * CPU_MILLIS_PER_THREAD, parseCpuMillis(spec.resources.limits.cpu)) });
      expect((spec.args as string[]).filter((a) => a.startsWith('--proactor_threads'))).toEqual([]);
    }
  });

  // dfly_main.cc:1166-1180: maxmemory = 0.8 × the memory available (the cgroup limit); 316-322: exit(1) below 256 MiB per thread.
  test('dfly_main.cc:316-322, 1166-1180: each Dragonfly has 256 MiB of maxmemory (80 % of its memory limit) per thread', () => {
    for (const df of ofKind(objects, 'Dragonfly')) {
      const { limits } = (df.object.spec as any).resources;
      const threads = Math.ceil(parseCpuMillis(limits.cpu) / CPU_MILLIS_PER_THREAD);
      expect(parseMemoryMiB(limits.memory) * DRAGONFLY_MAXMEMORY_RATIO).toBeGreaterThanOrEqual(threads * DRAGONFLY_MIN_MIB_PER_THREAD);
    }
  });
});
