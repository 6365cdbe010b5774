import { CACHE_MODE_FLAG, DRAGONFLY_ROLE_ARGS } from '../catalog/dragonfly';
import { REDIS_ROLES, RedisRole } from '../catalog/redis';
import { SCHEDULER_QUEUE } from '../catalog/mastodon-releases';
import { maxCronGapSeconds } from '../core/cron';
import { connectionBudget } from '../sizing/connection-budget';
import { InstanceModel } from './types';

/** A scheduled job whose last success is watched (kube-state-metrics). */
export interface WatchedSchedule {
  readonly schedule: string;
  /** The longest gap between two runs of the schedule, in seconds. */
  readonly gapSeconds: number;
  /** How long it may go without a success: `backupGaps` × the gap. */
  readonly windowSeconds: number;
}

/**
 * What the operational alerts of an instance watch, resolved from its model: thresholds from
 * `monitoring.alerts` and `monitoring.queues` over lib/model/defaults.ts, the rest from what the
 * instance runs (its pools' queues, its connection budget, its backups' schedules, its edge's
 * certificate, its Dragonflies, its autoscaled pools).
 */
export interface OperationalAlertsPlan {
  /** The queues some pool serves, with their thresholds; none without detailed Sidekiq metrics. */
  readonly queues: readonly { readonly queue: string; readonly latencySeconds: number; readonly backlog: number }[];
  /** Growth limits of Sidekiq's retry and dead sets (detailed Sidekiq metrics). @default none */
  readonly sidekiqSets?: { readonly retryGrowthPerHour: number; readonly deadGrowthPerHour: number };
  /** The pools (Deployments) consuming the scheduler queue. */
  readonly schedulerPools: readonly string[];
  /** The processes' open connections against the pool limit of the connection budget. */
  readonly database: { readonly limit: number; readonly limitReason: string; readonly ratio: number };
  /**
   * The roles served by a Dragonfly run here that refuse writes at maxmemory, and the share of it
   * that alerts. The cache role is left out: in cache mode it evicts near maxmemory by design.
   */
  readonly dragonflies: { readonly roles: readonly RedisRole[]; readonly memoryRatio: number };
  /** The edge's certificate, when cert-manager issues it. @default none */
  readonly certificate?: { readonly name: string; readonly days: number };
  /** The backups whose successes are watched, by kind. */
  readonly backups: { readonly database?: WatchedSchedule; readonly media?: WatchedSchedule };
  /** The autoscaled pools' ScaledObjects, and how long KEDA fails before it falls back. @default none */
  readonly keda?: { readonly scaledObjects: readonly string[]; readonly fallbackAfterSeconds: number };
  /** The instance's Argo CD Applications. @default none */
  readonly argocd?: { readonly namespace: string };
}

function watched(schedule: string, gaps: number): WatchedSchedule {
  const gap = maxCronGapSeconds(schedule);
  // The schedule was checked when the instance was loaded (lib/checks/monitoring.ts).
  if (typeof gap !== 'number') throw new Error(`unchecked backup schedule "${schedule}": ${gap.error}`);
  return { schedule, gapSeconds: gap, windowSeconds: gaps * gap };
}

export function operationalAlertsPlan(model: InstanceModel): OperationalAlertsPlan | undefined {
  const m = model.monitoring;
  if (!m) return undefined;
  const a = m.alerts;
  const served = [...new Set(model.sidekiq.flatMap((p) => p.queues))];
  const budget = connectionBudget(model.connections);
  const autoscaled = model.sidekiq.filter((p) => p.autoscaling);
  const { backupDatabase, backupMedia } = model.jobs;
  return {
    queues: m.sidekiqDetailedMetrics ? served.map((queue) => {
      const t = a.queues[queue] ?? a.otherQueue;
      return { queue, latencySeconds: t.latencyMinutes * 60, backlog: t.backlog };
    }) : [],
    ...(m.sidekiqDetailedMetrics ? { sidekiqSets: { retryGrowthPerHour: a.retrySetGrowthPerHour, deadGrowthPerHour: a.deadSetGrowthPerHour } } : {}),
    schedulerPools: model.sidekiq.filter((p) => p.queues.includes(SCHEDULER_QUEUE)).map((p) => p.name),
    database: { limit: budget.poolLimit, limitReason: budget.poolLimitReason, ratio: a.databaseConnectionsRatio },
    dragonflies: {
      roles: REDIS_ROLES.map(({ role }) => role).filter((role) => 'dragonfly' in model.redis[role] && !DRAGONFLY_ROLE_ARGS[role].includes(CACHE_MODE_FLAG)),
      memoryRatio: a.dragonflyMemoryRatio,
    },
    ...(a.certificates && model.edge && model.certManager ? { certificate: { name: model.edge.tlsSecretName, days: a.certificateDays } } : {}),
    backups: a.backups ? {
      ...(backupDatabase ? { database: watched(backupDatabase.schedule, a.backupGaps) } : {}),
      ...(backupMedia ? { media: watched(backupMedia.schedule, a.backupGaps) } : {}),
    } : {},
    ...(a.keda && autoscaled.length > 0 ? {
      keda: {
        scaledObjects: autoscaled.map((p) => p.name),
        fallbackAfterSeconds: Math.max(...autoscaled.map((p) => p.autoscaling!.pollingIntervalSeconds * p.autoscaling!.fallbackFailureThreshold)),
      },
    } : {}),
    ...(a.argocd ? { argocd: { namespace: model.argocd.namespace } } : {}),
  };
}
