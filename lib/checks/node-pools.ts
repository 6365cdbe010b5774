import { Check } from './check';
import { error } from '../core/finding';
import { ConfigProblem } from '../core/errors';
import { parseCpuMillis, parseMemoryMiB } from '../core/quantity';
import { DOKS_NODE_POOL_LABEL } from '../catalog/doks';

/**
 * `nodePools`: names are unique (each is a DOKS pool, and a nodeSelector names it), the DOKS pool
 * label is DOKS's to set, and the DaemonSets' requests leave a node something to offer pods.
 */
export const checkNodePools: Check = ({ sources, instance }) => {
  const source = sources.instance;
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  (instance.nodePools ?? []).forEach((pool, i) => {
    if (seen.has(pool.name)) problems.push(source.problem(['nodePools', i, 'name'], `"${pool.name}" is not allowed: another node pool has this name; allowed: a name per pool`));
    seen.add(pool.name);
    if (pool.labels?.[DOKS_NODE_POOL_LABEL] !== undefined) {
      problems.push(source.problem(['nodePools', i, 'labels', DOKS_NODE_POOL_LABEL], `is not allowed: DOKS sets it to the pool's name (${pool.name}); allowed: other labels`));
    }
    const reserved = pool.reservedPerNode;
    if (reserved && parseCpuMillis(reserved.cpu) >= parseCpuMillis(pool.allocatable.cpu)) {
      problems.push(source.problem(['nodePools', i, 'reservedPerNode', 'cpu'], `${reserved.cpu} is not allowed: it leaves no CPU of the node's ${pool.allocatable.cpu} allocatable; allowed: less than allocatable.cpu`));
    }
    if (reserved && parseMemoryMiB(reserved.memory) >= parseMemoryMiB(pool.allocatable.memory)) {
      problems.push(source.problem(['nodePools', i, 'reservedPerNode', 'memory'], `${reserved.memory} is not allowed: it leaves no memory of the node's ${pool.allocatable.memory} allocatable; allowed: less than allocatable.memory`));
    }
  });
  return problems.map(error);
};
