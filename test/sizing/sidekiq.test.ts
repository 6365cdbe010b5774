import { queueNames, sidekiqArgs } from '../../lib/sizing/sidekiq';

describe('sidekiqArgs', () => {
  test('GIVEN a weighted map WHEN rendered THEN each queue carries its weight, in order', () => {
    expect(sidekiqArgs(8, { default: 8, push: 6, pull: 1 })).toEqual(['-c', '8', '-q', 'default,8', '-q', 'push,6', '-q', 'pull,1']);
  });

  test('GIVEN a list WHEN rendered THEN queues have no weight (strict priority in list order)', () => {
    expect(sidekiqArgs(4, ['scheduler', 'mailers'])).toEqual(['-c', '4', '-q', 'scheduler', '-q', 'mailers']);
  });

  test('queueNames keeps the order of either form', () => {
    expect(queueNames({ b: 1, a: 2 })).toEqual(['b', 'a']);
    expect(queueNames(['b', 'a'])).toEqual(['b', 'a']);
  });
});
