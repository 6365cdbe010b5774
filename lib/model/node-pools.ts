import { DOKS_NODE_POOL_LABEL } from '../catalog/doks';
import { InstanceConfig } from '../config/types';
import { parseCpuMillis, parseMemoryMiB } from '../core/quantity';
import { NodePoolCapacity } from '../sizing/node-fit';

type NodePoolConfig = NonNullable<InstanceConfig['nodePools']>[number];

/**
 * The node pools of instance.yaml as capacities: each node's allocatable less what the DaemonSets
 * request on it, and its labels with the one DOKS gives every node of a pool.
 */
export function nodePoolCapacities(config: InstanceConfig): NodePoolCapacity[] | undefined {
  return config.nodePools?.map((pool: NodePoolConfig): NodePoolCapacity => {
    const reserved = pool.reservedPerNode;
    const storage = pool.allocatable.ephemeralStorage;
    return {
      name: pool.name,
      size: pool.size,
      count: pool.count,
      labels: { ...(pool.labels ?? {}), [DOKS_NODE_POOL_LABEL]: pool.name },
      taints: pool.taints ?? [],
      perNode: {
        cpuMillis: parseCpuMillis(pool.allocatable.cpu) - (reserved ? parseCpuMillis(reserved.cpu) : 0),
        memoryMiB: parseMemoryMiB(pool.allocatable.memory) - (reserved ? parseMemoryMiB(reserved.memory) : 0),
        ...(storage ? { ephemeralStorageMiB: parseMemoryMiB(storage) - (reserved?.ephemeralStorage ? parseMemoryMiB(reserved.ephemeralStorage) : 0) } : {}),
      },
    };
  });
}
