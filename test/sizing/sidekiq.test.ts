import { queueNames, SIDEKIQ_SHUTDOWN, sidekiqArgs, sidekiqGracePeriodSeconds } from '../../lib/sizing/sidekiq';

describe('sidekiqArgs', () => {
  test('GIVEN a weighted map WHEN rendered THEN each queue carries its weight, in order', () => {
    expect(sidekiqArgs(8, { default: 8, push: 6, pull: 1 })).toEqual(['-c', '8', '-t', '25', '-q', 'default,8', '-q', 'push,6', '-q', 'pull,1']);
  });

  test('GIVEN a list WHEN rendered THEN queues have no weight (strict priority in list order)', () => {
    expect(sidekiqArgs(4, ['scheduler', 'mailers'])).toEqual(['-c', '4', '-t', '25', '-q', 'scheduler', '-q', 'mailers']);
  });

  test('GIVEN another shutdown timeout THEN -t carries it', () => {
    expect(sidekiqArgs(1, ['default'], { ...SIDEKIQ_SHUTDOWN, timeoutSeconds: 60 }).slice(2, 4)).toEqual(['-t', '60']);
  });

  test('queueNames keeps the order of either form', () => {
    expect(queueNames({ b: 1, a: 2 })).toEqual(['b', 'a']);
    expect(queueNames(['b', 'a'])).toEqual(['b', 'a']);
  });
});

describe('sidekiqGracePeriodSeconds', () => {
  test('GIVEN the shutdown factors THEN the pod waits for the quiet period, Sidekiq\'s timeout and its 5 s to exit', () => {
    expect(sidekiqGracePeriodSeconds({ quietSeconds: 20, timeoutSeconds: 25, exitSeconds: 5 })).toBe(50);
    expect(sidekiqGracePeriodSeconds()).toBeGreaterThan(SIDEKIQ_SHUTDOWN.quietSeconds + SIDEKIQ_SHUTDOWN.timeoutSeconds);
  });
});
