import { Type } from '@sinclair/typebox';
import { placement } from './placement';
import { quantityCpu, quantityMemory } from './instance';
import { allowed, allowedFields, map, namePattern, obj, opt, pattern, prop, raw, ref, refs } from './kit';

/**
 * The schema of `config/<instance>/queue-plan.yaml`: the source of
 * lib/config/schemas/queue-plan.schema.json (`npm run schemas`) and of the types in ../types.ts.
 */

const AT_LEAST_ONE_QUEUE = 'at least one queue (a pool without queues runs no job)';

const queueName = pattern('^[a-z][a-z0-9_]*$', "a queue name: lowercase letters, digits and '_', starting with a letter");

const resourceQuantities = obj({
  cpu: opt('CPU, as a Kubernetes quantity (250m = a quarter of a CPU).', quantityCpu),
  memory: opt('Memory, as a Kubernetes quantity (512Mi, 1.5Gi).', quantityMemory),
});

const autoscaling = obj({
  maxReplicas: prop('The most pods; more than replicas. The connection budget counts the pool at this many pods.', Type.Integer({ ...allowed("2 to 100 pods, more than the pool's replicas"), minimum: 2, maximum: 100 })),
  backlogPerReplica: opt("Jobs waiting in one of the pool's queues per pod before another pod is added (KEDA listLength). Default: threads × 10.", Type.Integer({ ...allowed('1 to 100000 jobs'), minimum: 1, maximum: 100000 })),
  pollingIntervalSeconds: opt('How often KEDA reads the queue lengths, in seconds. Default: 30.', Type.Integer({ ...allowed('5 to 300 seconds'), minimum: 5, maximum: 300 })),
}, { description: 'Scale the pool with KEDA on the backlog of its queues in the Sidekiq Redis, from replicas up to maxReplicas pods (the KEDA operator must be installed). Not for the pool consuming the scheduler queue.' });

const pool = obj({
  threads: prop('Sidekiq concurrency (-c); DB_POOL follows it. More than 25 is warned about: add replicas or a pool instead.', Type.Integer({ ...allowed('1 to 100 threads (25 or fewer recommended)'), minimum: 1, maximum: 100 })),
  replicas: prop('Pods of the pool; with autoscaling, the fewest pods it keeps.', Type.Integer({ minimum: 1, maximum: 100 })),
  queues: prop('A map of queue → weight (weighted: -q default,8) or a list (strict priority order).', raw<Record<string, number> | string[]>({
    oneOf: [
      map(ref('queueName', queueName), Type.Integer({ minimum: 1, maximum: 100 }), { minProperties: 1, ...allowedFields(AT_LEAST_ONE_QUEUE) }),
      Type.Array(ref('queueName', queueName), { minItems: 1, ...allowed(AT_LEAST_ONE_QUEUE) }),
    ],
    ...allowed('a map of queue: weight (weighted) or a list of queues (strict priority order)'),
  })),
  resources: opt('Container resources of a pod of the pool. Default: from the sizing factors (threads).', obj({
    requests: opt('What the container is guaranteed (the scheduler places the pod by it). Default: derived from the sizing factors.', ref('resourceQuantities', resourceQuantities)),
    limits: opt('The most the container may use (memory above it is killed). Default: derived from the sizing factors.', ref('resourceQuantities', resourceQuantities)),
  })),
  autoscaling: opt("Scale the pool on its queues' backlog with KEDA. Default: none (replicas pods).", ref('autoscaling', autoscaling)),
  placement: opt("Where the pool's pods run, e.g. nodePool: sidekiq for a DOKS pool of their own (with tolerations for its taints): nodeSelector merged over instance.yaml's placement, tolerations and affinity replacing it. Default: instance.yaml's placement.", placement),
});

export const definitions = { pool, autoscaling, queueName, resourceQuantities };
const $ = refs(definitions);

export const QueuePlanSchema = obj({
  pools: prop('The Sidekiq pools by name: each becomes a Deployment sidekiq-<pool>.', map(namePattern('^[a-z0-9]([-a-z0-9]{0,52}[a-z0-9])?$', 'a pool name: a DNS label of at most 54 characters (the Deployment is sidekiq-<pool>)'), $.pool, { minProperties: 1 })),
  customQueues: opt("Queues of your own jobs, not Mastodon's; each must be consumed by a pool. Any other queue that is not one of the Mastodon version's queues is an error (a typo).", Type.Array($.queueName, { uniqueItems: true })),
}, { '$schema': 'http://json-schema.org/draft-07/schema#', '$id': 'https://mastodon-cdk8s.local/schemas/queue-plan.schema.json', title: 'mastodon-cdk8s Sidekiq queue plan', description: 'Sidekiq pools (config/<instance>/queue-plan.yaml): each pool becomes a Deployment sidekiq-<pool>.', definitions });

