import { replicaPlan } from './replicas';
import { DEFAULT_SEARCH_DEPLOY_CONCURRENCY } from '../constructs/mastodon/search-deploy';
import { InstanceConfig, QueuePlan, SidekiqPoolConfig, StreamingConfig, WebConfig } from '../config/types';
import { ConnectionBudgetInput, ConnectionUse } from '../sizing/connection-budget';
import { STREAMING_DEFAULTS, WEB_DEFAULTS } from './defaults';
import { ContainerResources, sidekiqResources, streamingResources, webResources } from '../sizing/resources';

/** One long-running process type of an instance, as the plan and the connection budget count it. */
export interface Workload {
  /** The Deployment: `web`, `streaming` or `sidekiq-<pool>`. */
  readonly name: string;
  readonly component: 'web' | 'streaming' | 'sidekiq';
  /** Pods at the most: the replicas, or the maximum an autoscaler may reach. */
  readonly pods: number;
  /** Processes per pod that hold database connections (Puma workers; one otherwise). */
  readonly processesPerPod: number;
  /** Threads per process (Puma MAX_THREADS, Sidekiq -c); none for the Node.js streaming server. */
  readonly threads?: number;
  /** PostgreSQL connections one process can open (its DB_POOL). */
  readonly dbPool: number;
  /** Resources of one pod's container. */
  readonly resources: ContainerResources;
}

// Pods are counted at their maximum: autoscaling plugs in here, and only here.
export function webMaxReplicas(web: WebConfig = {}): number {
  return replicaPlan(web).maxReplicas;
}

export function streamingMaxReplicas(streaming: StreamingConfig = {}): number {
  return replicaPlan(streaming).maxReplicas;
}

export function sidekiqPoolMaxReplicas(pool: SidekiqPoolConfig): number {
  return pool.autoscaling?.maxReplicas ?? pool.replicas;
}

/**
 * The one mapping from an instance's configuration to its process types with every default
 * resolved: web, streaming and one entry per Sidekiq pool, in that order.
 */
export function instanceWorkloads(instance: InstanceConfig, queuePlan: QueuePlan): Workload[] {
  const web = instance.web ?? {};
  const workers = web.workers ?? WEB_DEFAULTS.workers;
  const threads = web.threads ?? WEB_DEFAULTS.threads;
  const streaming = instance.streaming ?? {};
  const streamingPool = streaming.dbPool ?? STREAMING_DEFAULTS.dbPool;
  return [
    // Each Puma thread holds at most one connection: DB_POOL = MAX_THREADS.
    { name: 'web', component: 'web', pods: webMaxReplicas(web), processesPerPod: workers, threads, dbPool: threads, resources: webResources(workers, threads, web.resources) },
    { name: 'streaming', component: 'streaming', pods: streamingMaxReplicas(streaming), processesPerPod: 1, dbPool: streamingPool, resources: streamingResources(streamingPool, streaming.resources) },
    ...Object.entries(queuePlan.pools).map(([pool, config]): Workload => (
      { name: `sidekiq-${pool}`, component: 'sidekiq', pods: sidekiqPoolMaxReplicas(config), processesPerPod: 1, threads: config.threads, dbPool: config.threads, resources: sidekiqResources(config.threads, config.resources) })),
  ];
}

/**
 * Mastodon's migrations (`rails db:migrate`, at every upgrade) bypass PgBouncer, which cannot run
 * them in transaction mode. One Rails process opens its migration connection plus a second one
 * that holds the migration advisory lock (ActiveRecord::Migrator#with_advisory_lock_connection).
 * @see https://docs.joinmastodon.org/admin/scaling/#pgbouncer
 */
export const MIGRATION_DIRECT_CONNECTIONS = 2;

/** The PostgreSQL connections of one workload at the most, with how the number comes about. */
export function workloadConnections(w: Workload): ConnectionUse {
  const pods = `${w.pods} ${w.pods === 1 ? 'pod' : 'pods'}`;
  const formula = w.component === 'web' ? `${pods} × ${w.processesPerPod} workers × ${w.threads} threads`
    : w.component === 'streaming' ? `${pods} × DB_POOL ${w.dbPool}`
      : `${pods} × ${w.threads} threads`;
  return { name: w.name, connections: w.pods * w.processesPerPod * w.dbPool, formula, via: 'pool' };
}

/**
 * The Jobs that run beside the workloads: `tootctl search deploy` after an upgrade (its indexing
 * threads and the main one, through the pool) and the pg_dump of the backups (direct).
 */
function jobConnections(instance: InstanceConfig): ConnectionUse[] {
  const uses: ConnectionUse[] = [];
  const search = instance.search;
  if (search && search.deploy?.enabled !== false) {
    const concurrency = search.deploy?.concurrency ?? DEFAULT_SEARCH_DEPLOY_CONCURRENCY;
    uses.push({ name: 'search-deploy job', connections: concurrency + 1, formula: `--concurrency ${concurrency} + 1`, via: 'pool' });
  }
  if (instance.backups?.database) uses.push({ name: 'backup-database job', connections: 1, formula: 'pg_dump', via: 'direct' });
  return uses;
}

/** The connection budget's input: every workload through the pool, migrations direct, the limits. */
export function connectionBudgetInput(instance: InstanceConfig, queuePlan: QueuePlan): ConnectionBudgetInput {
  const uses: ConnectionUse[] = [
    ...instanceWorkloads(instance, queuePlan).map(workloadConnections),
    { name: 'db:migrate job', connections: MIGRATION_DIRECT_CONNECTIONS, formula: 'migration + advisory lock', via: 'direct' },
    ...jobConnections(instance),
  ];
  const { size, planMemoryGiB } = instance.database.pool;
  return { uses, poolSize: size, planMemoryGiB };
}
