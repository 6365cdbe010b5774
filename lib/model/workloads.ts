import { InstanceConfig, SidekiqPoolConfig } from '../config/types';
import { MIGRATION_DIRECT_CONNECTIONS, PG_DUMP_CONNECTIONS, SEARCH_DEPLOY_EXTRA_CONNECTIONS } from '../catalog/mastodon-processes';
import { ConnectionUse } from '../sizing/connection-budget';
import { sidekiqResources, streamingResources, webResources } from '../sizing/resources';
import { queueNames, sidekiqArgs } from '../sizing/sidekiq';
import { sidekiqAutoscalingPlan } from '../sizing/sidekiq-autoscaling';
import { Defaults, DERIVED } from './defaults';
import { replicaPlan } from './replicas';
import { JobsModel, SidekiqPoolModel, StreamingModel, WebModel, WorkloadModel } from './types';

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

/**
 * The Jobs beside the workloads: the migration hooks (direct), `tootctl search deploy` after an
 * upgrade (its indexing threads and the main one, through the pool) and the pg_dump of the
 * backups (direct).
 */
export function jobsModel(instanceId: string, instance: InstanceConfig, d: Defaults): JobsModel {
  const deploy = instance.search?.deploy;
  const searchDeploy = instance.search && (deploy?.enabled ?? d.searchDeploy.enabled) ? (() => {
    const concurrency = deploy?.concurrency ?? d.searchDeploy.concurrency;
    return {
      name: `search-deploy-${String(deploy?.reindex ?? d.searchDeploy.reindex)}`,
      concurrency,
      batchSize: deploy?.batchSize ?? d.searchDeploy.batchSize,
      // A Rails process with `concurrency` threads, like a Sidekiq process.
      resources: sidekiqResources(concurrency),
      db: { name: 'search-deploy job', connections: concurrency + SEARCH_DEPLOY_EXTRA_CONNECTIONS, formula: `--concurrency ${concurrency} + ${SEARCH_DEPLOY_EXTRA_CONNECTIONS}`, via: 'pool' } as const,
    };
  })() : undefined;
  return {
    migrations: {
      direct: { name: instance.database.direct.name, port: instance.database.direct.port ?? d.database.directPort },
      db: { name: 'db:migrate job', connections: MIGRATION_DIRECT_CONNECTIONS, formula: 'migration + advisory lock', via: 'direct' },
    },
    ...(searchDeploy ? { searchDeploy } : {}),
    ...backupsModel(instanceId, instance, d),
  };
}

/** The backup CronJobs, when configured: their schedules and sizes resolved, the vault's folder defaulting to the instance id. */
function backupsModel(instanceId: string, instance: InstanceConfig, d: Defaults): Pick<JobsModel, 'backupDatabase' | 'backupMedia'> {
  const backups = instance.backups;
  if (!backups) return {};
  const vault = { destination: { ...backups.destination, prefix: backups.destination.prefix ?? DERIVED.backupPrefix(instanceId) }, encryption: backups.encryption };
  const db = instance.database;
  const database = backups.database;
  return {
    ...(database ? {
      backupDatabase: {
        vault,
        database: { host: db.host, port: db.direct.port ?? d.database.directPort, name: db.direct.name, user: db.user, password: db.password },
        schedule: database.schedule ?? d.backups.database.schedule,
        retentionDays: database.retentionDays ?? d.backups.database.retentionDays,
        postgresVersion: database.postgresVersion ?? d.backups.database.postgresVersion,
        maxDumpSize: database.maxDumpSize ?? d.backups.database.maxDumpSize,
        db: { name: 'backup-database job', connections: PG_DUMP_CONNECTIONS, formula: 'pg_dump', via: 'direct' },
      },
    } : {}),
    // storage.s3 is required (the schema), so there is always a media bucket to copy.
    ...(backups.media ? { backupMedia: { vault, media: instance.storage.s3, schedule: backups.media.schedule ?? d.backups.media.schedule } } : {}),
  };
}
