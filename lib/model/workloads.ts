import { InstanceConfig, SidekiqPoolConfig } from '../config/types';
import { ConnectionUse } from '../sizing/connection-budget';
import { sidekiqResources, streamingResources, webResources } from '../sizing/resources';
import { queueNames, sidekiqArgs } from '../sizing/sidekiq';
import { sidekiqAutoscalingPlan } from '../sizing/sidekiq-autoscaling';
import { Defaults } from './defaults';
import { replicaPlan } from './replicas';
import { SidekiqPoolModel, StreamingModel, WebModel, WorkloadModel } from './types';

/** A pool's pods at the most: the autoscaler's maximum, else its replicas. */
export function sidekiqPoolMaxReplicas(pool: SidekiqPoolConfig): number {
  return pool.autoscaling?.maxReplicas ?? pool.replicas;
}

/** The PostgreSQL connections of one workload at the most, with how the number comes about. */
export function workloadConnections(w: Omit<WorkloadModel, 'db'>): ConnectionUse {
  const pods = `${w.pods} ${w.pods === 1 ? 'pod' : 'pods'}`;
  const formula = w.component === 'web' ? `${pods} × ${w.processesPerPod} workers × ${w.threads} threads`
    : w.component === 'streaming' ? `${pods} × DB_POOL ${w.dbPool}`
      : `${pods} × ${w.threads} threads`;
  return { name: w.name, connections: w.pods * w.processesPerPod * w.dbPool, formula, via: 'pool' };
}

function withDb<T extends Omit<WorkloadModel, 'db'>>(w: T): T & { readonly db: ConnectionUse } {
  return { ...w, db: workloadConnections(w) };
}

export function webModel(instance: InstanceConfig, d: Defaults): WebModel {
  const web = instance.web ?? {};
  const workers = web.workers ?? d.web.workers;
  const threads = web.threads ?? d.web.threads;
  const replicas = replicaPlan(web, d.web.replicas, d.autoscaling);
  // Each Puma thread holds at most one connection: DB_POOL = MAX_THREADS.
  return withDb({ name: 'web', component: 'web', replicas, pods: replicas.maxReplicas, processesPerPod: workers, workers, threads, dbPool: threads, resources: webResources(workers, threads, web.resources) });
}

export function streamingModel(instance: InstanceConfig, d: Defaults): StreamingModel {
  const streaming = instance.streaming ?? {};
  const dbPool = streaming.dbPool ?? d.streaming.dbPool;
  const replicas = replicaPlan(streaming, d.streaming.replicas, d.autoscaling);
  return withDb({ name: 'streaming', component: 'streaming', replicas, pods: replicas.maxReplicas, processesPerPod: 1, dbPool, resources: streamingResources(dbPool, streaming.resources) });
}

export function sidekiqPoolModel(pool: string, config: SidekiqPoolConfig): SidekiqPoolModel {
  return withDb({
    name: `sidekiq-${pool}`,
    component: 'sidekiq',
    pool,
    replicas: config.replicas,
    pods: sidekiqPoolMaxReplicas(config),
    processesPerPod: 1,
    threads: config.threads,
    // Every thread can hold a connection.
    dbPool: config.threads,
    queues: queueNames(config.queues),
    args: sidekiqArgs(config.threads, config.queues),
    resources: sidekiqResources(config.threads, config.resources),
    autoscaling: sidekiqAutoscalingPlan(config),
  });
}
