import * as path from 'node:path';
import fc from 'fast-check';
import { tempDir } from '../helpers';
import { checkInstance, EXAMPLE_INSTANCE, EXAMPLE_QUEUE_PLAN, mutate, mutation, numRuns, Outcome, seed, writeInstance } from './mutations';

/**
 * GIVEN random mutations of the example config (a scalar's type or value changed, a key deleted,
 * added or duplicated, values swapped between paths, unicode and long strings, numbers, nulls,
 * credentials of every known shape, stray YAML characters) WHEN it is loaded and rendered as synth
 * does THEN it ends in a clean error or in a valid, deterministic render (see ./mutations.ts).
 * `npm run fuzz` runs thousands (NUM_RUNS, FUZZ_SEED).
 */
describe('random mutations of the example config', () => {
  const root = tempDir('mastodon-cdk8s-fuzz-');
  const outcomes: Outcome['kind'][] = [];
  let withCredentials = 0;
  let n = 0;

  afterAll(() => {
    if (process.env.NUM_RUNS) {
      const count = (kind: string) => outcomes.filter((k) => k === kind).length;
      process.stdout.write(`config mutations: ${outcomes.length} runs, ${count('refused')} refused cleanly, ${count('rendered')} rendered and valid twice over, ${withCredentials} with a pasted credential (refused, never repeated), 0 crashes\n`);
    }
  });

  test('GIVEN 1 to 3 mutations of instance.yaml or queue-plan.yaml THEN a clean error or a valid deterministic render', () => {
    fc.assert(fc.property(
      fc.constantFrom('instance', 'queuePlan'),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
      (file, mutations) => {
        const dir = path.join(root, `case-${n++}`);
        const mutated = mutate(file === 'instance' ? EXAMPLE_INSTANCE : EXAMPLE_QUEUE_PLAN, mutations);
        writeInstance(dir, file === 'instance' ? mutated.text : EXAMPLE_INSTANCE, file === 'queuePlan' ? mutated.text : EXAMPLE_QUEUE_PLAN);
        if (mutated.secrets.length > 0) withCredentials++;
        outcomes.push(checkInstance(dir, mutated.secrets).kind);
      },
    ), { numRuns: numRuns(40), seed: seed() });
  });
});
