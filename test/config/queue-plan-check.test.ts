import { exampleVariant, loadExample, problemsOf, replaceOnce, warningsOf, exampleAtVersion } from '../helpers';

/** GIVEN the example with its queue plan edited. */
function plan(edit: (text: string) => string): string {
  return exampleVariant({ queuePlan: edit });
}

/** GIVEN the example at another Mastodon version and with its queue plan edited. */
function planAt(version: string, edit: (text: string) => string = (t) => t): string {
  return exampleVariant({ instance: (t) => exampleAtVersion(t, version), queuePlan: edit });
}

const SCHEDULER_QUEUES = 'queues: { scheduler: 2, mailers: 1 }';
const FASP = '      fasp: 2\n';
const ALLOWED = 'allowed: default, push, ingress, mailers, pull, scheduler, fasp, or a name listed in customQueues';

describe('the scheduler queue', () => {
  test('GIVEN scheduler in two pools THEN the second is an error naming the first', () => {
    const dir = plan((t) => replaceOnce(t, '      pull: 1\n', '      pull: 1\n      scheduler: 1\n'));
    expect(problemsOf(dir)).toEqual(['queue-plan.yaml:19:15: pools.scheduler.queues.scheduler: "scheduler" is already consumed by pool "default"; allowed: exactly one pool (two schedulers run every cron job twice)']);
  });

  test('GIVEN the scheduler pool with 2 replicas THEN that is an error', () => {
    const dir = plan((t) => replaceOnce(t, 'replicas: 1', 'replicas: 2'));
    expect(problemsOf(dir)).toEqual(['queue-plan.yaml:17:15: pools.scheduler.replicas: 2 is not allowed for pool "scheduler", which consumes the "scheduler" queue; allowed: 1 (two schedulers run every cron job twice)']);
  });
});

describe('every queue of the version is consumed, and no other', () => {
  test('GIVEN a Mastodon queue no pool consumes THEN the error names it and what it is for', () => {
    const dir = plan((t) => replaceOnce(t, FASP, ''));
    expect(problemsOf(dir)).toEqual(['queue-plan.yaml:6:3: pools: queue "fasp" (Fediverse Auxiliary Service Provider jobs) is not consumed by any pool, so its jobs would never run; add it to a pool\'s queues']);
  });

  test('GIVEN a misspelt queue THEN it is pointed at with the allowed names', () => {
    const dir = plan((t) => replaceOnce(t, '      push: 6', '      psuh: 6'));
    expect(problemsOf(dir)).toEqual([
      'queue-plan.yaml:6:3: pools: queue "push" (delivery to other servers) is not consumed by any pool, so its jobs would never run; add it to a pool\'s queues',
      `queue-plan.yaml:11:7: pools.default.queues.psuh: "psuh" is not a queue of Mastodon v4.7.2; ${ALLOWED}`,
    ]);
  });

  test('GIVEN fasp on Mastodon 4.3 THEN a warning says which release brings it (the plan is ready for the upgrade)', () => {
    expect(warningsOf(planAt('v4.3.9'))).toContain('queue-plan.yaml:13:7: pools.default.queues.fasp: "fasp" is a queue of Mastodon 4.4 and later, not of v4.3.9: it stays empty until you upgrade, when it is needed');
  });

  test('GIVEN Mastodon 4.3 without fasp THEN the plan is fine (only the version warns)', () => {
    expect(warningsOf(planAt('v4.3.9', (t) => replaceOnce(t, FASP, ''))).every((w) => w.startsWith('instance.yaml:10:12: mastodon.version: '))).toBe(true);
  });

  test('GIVEN a custom queue declared and consumed THEN it is allowed', () => {
    const dir = plan((t) => `${replaceOnce(t, FASP, '      fasp: 2\n      my_reports: 1\n')}customQueues: [my_reports]\n`);
    expect(warningsOf(dir)).toEqual([]);
  });

  test('GIVEN a custom queue no pool consumes THEN that is an error', () => {
    const dir = plan((t) => `${t}customQueues: [my_reports]\n`);
    expect(problemsOf(dir)).toEqual(['queue-plan.yaml:19:16: customQueues[0]: "my_reports" is not consumed by any pool, so its jobs would never run; add it to a pool\'s queues']);
  });

  test('GIVEN one of Mastodon\'s queues declared custom THEN that is an error', () => {
    const dir = plan((t) => `${t}customQueues: [push]\n`);
    expect(problemsOf(dir)).toEqual(['queue-plan.yaml:19:16: customQueues[0]: "push" is one of Mastodon\'s queues; allowed: names of other queues (your own jobs)']);
  });
});

describe('the shape of a pool', () => {
  test('GIVEN a queue twice in a list THEN the second is an error', () => {
    const dir = plan((t) => replaceOnce(t, SCHEDULER_QUEUES, 'queues: [scheduler, mailers, scheduler]'));
    expect(problemsOf(dir)).toEqual(['queue-plan.yaml:18:34: pools.scheduler.queues[2]: "scheduler" is listed twice in pool "scheduler"; allowed: each queue once per pool']);
  });

  test('GIVEN a queue twice in a map THEN YAML rejects the duplicate key', () => {
    const dir = plan((t) => replaceOnce(t, SCHEDULER_QUEUES, 'queues: { scheduler: 2, mailers: 1, scheduler: 1 }'));
    expect(problemsOf(dir)).toEqual(['queue-plan.yaml:18:41: pools.scheduler.queues.scheduler: the key "scheduler" is defined twice in this map (first at line 18); each key may appear once']);
  });

  test.each([['[]'], ['{}']])('GIVEN an empty pool (%s) THEN that is an error', (empty) => {
    const dir = plan((t) => replaceOnce(t, SCHEDULER_QUEUES, `queues: ${empty}`));
    expect(problemsOf(dir)).toEqual([
      `queue-plan.yaml:18:13: pools.scheduler.queues: ${empty} is not allowed: must NOT have fewer than 1 ${empty === '[]' ? 'items' : 'properties'}; allowed: at least one queue (a pool without queues runs no job)`,
    ]);
  });

  test.each([['0', 'must be >= 1'], ['101', 'must be <= 100']])('GIVEN %s threads THEN that is an error', (threads, rule) => {
    const dir = plan((t) => replaceOnce(t, 'threads: 4', `threads: ${threads}`));
    expect(problemsOf(dir)).toEqual([`queue-plan.yaml:16:14: pools.scheduler.threads: ${threads} is not allowed: ${rule}; allowed: 1 to 100 threads (25 or fewer recommended)`]);
  });

  test('GIVEN more than 25 threads THEN it is a warning suggesting replicas or another pool', () => {
    const dir = plan((t) => replaceOnce(t, 'threads: 8 #', 'threads: 30 #'));
    expect(warningsOf(dir)).toEqual(['queue-plan.yaml:7:14: pools.default.threads: 30 threads is more than 25: a Sidekiq process runs one Ruby thread at a time and each thread holds a database connection; prefer more replicas or another pool']);
  });

  test('GIVEN the example THEN it passes every rule without a warning', () => {
    expect(loadExample().warnings).toEqual([]);
  });
});
