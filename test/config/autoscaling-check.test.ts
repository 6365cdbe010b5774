import { exampleVariant, problemsOf, renderProblemsOf, replaceOnce, warningsOf } from '../helpers';

/** GIVEN the example with `autoscaling` (flow YAML, without braces) on the default pool (4 replicas). */
function autoscaled(autoscaling: string): string {
  return exampleVariant({ queuePlan: (t) => replaceOnce(t, '    replicas: 4\n', `    replicas: 4\n    autoscaling: { ${autoscaling} }\n`) });
}

describe('autoscaling a Sidekiq pool', () => {
  test('GIVEN maxReplicas above replicas within the budget THEN it loads without a warning', () => {
    expect(warningsOf(autoscaled('maxReplicas: 8'))).toEqual([]);
  });

  test('GIVEN the scheduler pool autoscaled THEN a dedicated error at its autoscaling', () => {
    const dir = exampleVariant({ queuePlan: (t) => replaceOnce(t, '    replicas: 1\n', '    replicas: 1\n    autoscaling: { maxReplicas: 2 }\n') });
    expect(problemsOf(dir)).toEqual([
      'queue-plan.yaml:18:18: pools.scheduler.autoscaling: the scheduler pool must not autoscale: pool "scheduler" consumes the "scheduler" queue, and a second scheduler runs every cron job twice; allowed: no autoscaling and replicas: 1 (move the other queues to a pool of their own to scale them)',
    ]);
  });

  test.each([['4'], ['3']])('GIVEN maxReplicas %s with replicas 4 THEN it must be more', (max) => {
    expect(problemsOf(autoscaled(`maxReplicas: ${max}`))).toEqual([
      `queue-plan.yaml:9:33: pools.default.autoscaling.maxReplicas: ${max} is not allowed: it must be more than the pool's replicas (4), the fewest pods autoscaling keeps; allowed: more than 4 and at most 100, or no autoscaling for a fixed number of pods`,
    ]);
  });

  test.each([
    ['maxReplicas: 101', '9:33: pools.default.autoscaling.maxReplicas: 101 is not allowed: must be <= 100; allowed: 2 to 100 pods, more than the pool\'s replicas'],
    ['maxReplicas: 8, backlogPerReplica: 0', '9:55: pools.default.autoscaling.backlogPerReplica: 0 is not allowed: must be >= 1; allowed: 1 to 100000 jobs'],
    ['maxReplicas: 8, pollingIntervalSeconds: 1', '9:60: pools.default.autoscaling.pollingIntervalSeconds: 1 is not allowed: must be >= 5; allowed: 5 to 300 seconds'],
    ['backlogPerReplica: 50', '9:18: pools.default.autoscaling: missing required field "maxReplicas"; allowed: 2 to 100 pods, more than the pool\'s replicas'],
  ])('GIVEN %s THEN the schema error says what is allowed', (autoscaling, problem) => {
    expect(problemsOf(autoscaled(autoscaling))).toEqual([`queue-plan.yaml:${problem}`]);
  });

  test('GIVEN minReplicas THEN it is unknown: replicas is the minimum', () => {
    expect(problemsOf(autoscaled('maxReplicas: 8, minReplicas: 2'))).toEqual([
      'queue-plan.yaml:9:36: pools.default.autoscaling.minReplicas: unknown field "minReplicas"; allowed fields: maxReplicas, backlogPerReplica, pollingIntervalSeconds',
    ]);
  });

  test('GIVEN maxReplicas beyond the connection budget THEN synth fails with the breakdown counting the pool at its maximum', () => {
    expect(renderProblemsOf(autoscaled('maxReplicas: 50'))).toEqual([
      'instance.yaml:37:20: database.pool.planMemoryGiB: the instance can open 474 PostgreSQL connections through the pool, more than the 393 it allows (16 GiB plan: 25 × 16 − 3 = 397, less 4 direct): web 2 pods × 2 workers × 8 threads = 32, streaming 2 pods × DB_POOL 10 = 20, sidekiq-default 50 pods × 8 threads = 400, sidekiq-scheduler 1 pod × 4 threads = 4, search-deploy job --concurrency 5 + 1 = 6, maintenance-media-remove job --concurrency 5 + 1 = 6, maintenance-preview-cards-remove job --concurrency 5 + 1 = 6; not through the pool: db:migrate job migration + advisory lock = 2, backup-database job pg_dump = 1, db-backup-pre-v4-7-2 hook pg_dump = 1; allowed: at most 393, by fewer threads, workers, replicas or DB_POOL, another pool size or a bigger database plan (`npx mastodon-cdk8s plan` shows the table)',
    ]);
  });
});
