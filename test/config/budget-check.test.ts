import { exampleVariant, renderProblemsOf, replaceOnce, warningsOf } from '../helpers';

/** GIVEN the example with its database pool limits replaced by `limits` (YAML lines under pool:). */
function withPool(limits: string, edit: { queuePlan?: (t: string) => string } = {}): string {
  return exampleVariant({
    instance: (t) => replaceOnce(t, '    # 16 GiB plan: 25 × 16 − 3 = 397 connections (give `size` too if the pool is smaller).\n    planMemoryGiB: 16\n', limits),
    ...edit,
  });
}

const DETAIL = 'web 2 pods × 2 workers × 8 threads = 32, streaming 2 pods × DB_POOL 10 = 20, sidekiq-default 4 pods × 8 threads = 32, sidekiq-scheduler 1 pod × 4 threads = 4, search-deploy job --concurrency 5 + 1 = 6, maintenance-media-remove job --concurrency 5 + 1 = 6, maintenance-preview-cards-remove job --concurrency 5 + 1 = 6; not through the pool: db:migrate job migration + advisory lock = 2, backup-database job pg_dump = 1, db-backup-pre-v4-7-2 hook pg_dump = 1';

describe('the PostgreSQL connection budget', () => {
  test('GIVEN the example (106 of 393) THEN no warning', () => {
    expect(warningsOf(withPool('    planMemoryGiB: 16\n'))).toEqual([]);
  });

  test('GIVEN more connections than the pool THEN synth fails with the breakdown', () => {
    expect(renderProblemsOf(withPool('    size: 80\n'))).toEqual([
      `instance.yaml:36:11: database.pool.size: the instance can open 106 PostgreSQL connections through the pool, more than the 80 it allows (the pool's size): ${DETAIL}; allowed: at most 80, by fewer threads, workers, replicas or DB_POOL, another pool size or a bigger database plan (\`npx mastodon-cdk8s plan\` shows the table)`,
    ]);
  });

  test('GIVEN more than 90 % of the pool THEN a warning', () => {
    expect(warningsOf(withPool('    size: 115\n'))).toEqual([
      `instance.yaml:36:11: database.pool.size: the instance can open 106 PostgreSQL connections through the pool, 92 % of the 115 it allows (the pool's size), which leaves little room for the extra pods of a rollout: ${DETAIL}`,
    ]);
  });

  test('GIVEN a small plan THEN the limit is 25 × GiB − 3 less the direct connections', () => {
    expect(renderProblemsOf(withPool('    planMemoryGiB: 2\n'))).toEqual([
      `instance.yaml:36:20: database.pool.planMemoryGiB: the instance can open 106 PostgreSQL connections through the pool, more than the 43 it allows (2 GiB plan: 25 × 2 − 3 = 47, less 4 direct): ${DETAIL}; allowed: at most 43, by fewer threads, workers, replicas or DB_POOL, another pool size or a bigger database plan (\`npx mastodon-cdk8s plan\` shows the table)`,
    ]);
  });

  test('GIVEN a pool that takes every connection of the cluster THEN the migrations have none left', () => {
    expect(renderProblemsOf(withPool('    size: 397\n    planMemoryGiB: 16\n'))).toEqual([
      'instance.yaml:36:11: database.pool.size: a pool of 397 plus 4 direct connections (db:migrate job migration + advisory lock = 2, backup-database job pg_dump = 1, db-backup-pre-v4-7-2 hook pg_dump = 1) is more than the cluster gives (16 GiB plan: 25 × 16 − 3 = 397); allowed: a pool of at most 393',
    ]);
  });

  test('GIVEN neither size nor plan THEN that is an error', () => {
    expect(renderProblemsOf(withPool(''))).toEqual([
      'instance.yaml:34:5: database.pool: missing "size" or "planMemoryGiB": the connection budget needs the pool\'s size or the DigitalOcean plan\'s RAM in GiB',
    ]);
  });
});
