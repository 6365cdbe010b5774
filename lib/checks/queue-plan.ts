import { Check } from './check';
import { compareRelease, QUEUES, queuesOf, SCHEDULER_QUEUE } from '../catalog/mastodon-releases';
import { sidekiqPoolMaxReplicas } from '../model/workloads';
import { error, Finding, warning } from '../core/finding';
import { show } from '../core/show';
import { ValuePath, ConfigSource } from '../core/source';
import { QueuePlan } from '../config/types';

/**
 * Above this many threads a Sidekiq process gains little: Ruby runs one thread at a time (the
 * GVL), and every thread holds a database connection. vmst.io found 25–30 the useful maximum.
 */
export const SIDEKIQ_THREADS_WARN_ABOVE = 25;

/** One queue entry of a pool, where it is written. */
interface QueueEntry {
  readonly pool: string;
  readonly name: string;
  /** Path of the entry: the key of a weighted map, the item of a list. */
  readonly path: ValuePath;
  /** A map entry is pointed at by its key. */
  readonly atKey: boolean;
}

function entries(plan: QueuePlan): QueueEntry[] {
  return Object.entries(plan.pools).flatMap(([pool, config]): QueueEntry[] => Array.isArray(config.queues)
    ? config.queues.map((name, i) => ({ pool, name, path: ['pools', pool, 'queues', i], atKey: false }))
    : Object.keys(config.queues).map((name) => ({ pool, name, path: ['pools', pool, 'queues', name], atKey: true })));
}

/**
 * The rules that make a queue plan safe for a Mastodon version: every queue consumed, no unknown
 * (misspelt) queue, one scheduler process, no queue twice in a pool, sensible thread counts.
 */
function queuePlanFindings(plan: QueuePlan, version: string, source: ConfigSource): Finding[] {
  const findings: Finding[] = [];
  const mastodonQueues = queuesOf(version);
  const known = new Set(mastodonQueues.map((q) => q.name));
  const custom = plan.customQueues ?? [];
  const all = entries(plan);
  const at = (path: ValuePath, message: string) => source.problem(path, message);
  const atEntry = (entry: QueueEntry, message: string) => source.problem(entry.path, message, entry.atKey);
  const allowed = `${[...known].join(', ')}, or a name listed in customQueues`;

  const seen = new Map<string, QueueEntry>();
  for (const entry of all) {
    const key = `${entry.pool}/${entry.name}`;
    if (seen.has(key)) {
      findings.push(error(atEntry(entry, `${show(entry.name)} is listed twice in pool "${entry.pool}"; allowed: each queue once per pool`)));
      continue;
    }
    seen.set(key, entry);
    if (!known.has(entry.name) && !custom.includes(entry.name)) {
      const other = QUEUES.find((q) => q.name === entry.name);
      if (other?.since && compareRelease(version, other.since) < 0) {
        // A queue of a later release: Sidekiq waits on it, empty, until the upgrade, and the plan
        // must have it ready by then (`mastodon-cdk8s upgrade` refuses without it).
        findings.push(warning(atEntry(entry, `${show(entry.name)} is a queue of Mastodon ${other.since} and later, not of ${version}: it stays empty until you upgrade, when it is needed`)));
      } else {
        findings.push(error(atEntry(entry, `${show(entry.name)} is not a queue of Mastodon ${version}; allowed: ${allowed}`)));
      }
    }
  }

  for (const [i, name] of custom.entries()) {
    if (known.has(name)) {
      findings.push(error(at(['customQueues', i], `${show(name)} is one of Mastodon's queues; allowed: names of other queues (your own jobs)`)));
    } else if (!all.some((e) => e.name === name)) {
      findings.push(error(at(['customQueues', i], `${show(name)} is not consumed by any pool, so its jobs would never run; add it to a pool's queues`)));
    }
  }

  for (const queue of mastodonQueues) {
    if (!all.some((e) => e.name === queue.name)) {
      findings.push(error(at(['pools'], `queue "${queue.name}" (${queue.purpose}) is not consumed by any pool, so its jobs would never run; add it to a pool's queues`)));
    }
  }

  const schedulers = [...seen.values()].filter((e) => e.name === SCHEDULER_QUEUE);
  for (const extra of schedulers.slice(1)) {
    findings.push(error(atEntry(extra, `"${SCHEDULER_QUEUE}" is already consumed by pool "${schedulers[0].pool}"; allowed: exactly one pool (two schedulers run every cron job twice)`)));
  }
  if (schedulers.length === 1) {
    const pool = schedulers[0].pool;
    const replicas = sidekiqPoolMaxReplicas(plan.pools[pool]);
    if (plan.pools[pool].autoscaling) {
      findings.push(error(at(['pools', pool, 'autoscaling'], `the scheduler pool must not autoscale: pool "${pool}" consumes the "${SCHEDULER_QUEUE}" queue, and a second scheduler runs every cron job twice; allowed: no autoscaling and replicas: 1 (move the other queues to a pool of their own to scale them)`)));
    } else if (replicas !== 1) {
      findings.push(error(at(['pools', pool, 'replicas'], `${replicas} is not allowed for pool "${pool}", which consumes the "${SCHEDULER_QUEUE}" queue; allowed: 1 (two schedulers run every cron job twice)`)));
    }
  }

  for (const [pool, config] of Object.entries(plan.pools)) {
    if (config.threads > SIDEKIQ_THREADS_WARN_ABOVE) {
      findings.push(warning(at(['pools', pool, 'threads'], `${config.threads} threads is more than ${SIDEKIQ_THREADS_WARN_ABOVE}: a Sidekiq process runs one Ruby thread at a time and each thread holds a database connection; prefer more replicas or another pool`)));
    }
  }
  return findings;
}

export const checkQueuePlan: Check = ({ sources, instance, queuePlan }) => (queuePlan ? queuePlanFindings(queuePlan, instance.mastodon.version, sources.queuePlan) : []);
