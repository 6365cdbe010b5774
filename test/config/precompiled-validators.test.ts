import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { compileValidators, SchemaName } from '../../lib/config/ajv';
import { validators } from '../../lib/config/validators';
import { EXAMPLE_DIR } from '../helpers';

/**
 * The tests load lib/config/validators as the standalone code that test/setup compiles once per run
 * (jest.config.js), the code the CLI bundles; it must judge every input as ajv's run-time compile of
 * the same schemas does, errors included.
 */

const example = (file: string) => parse(fs.readFileSync(path.join(EXAMPLE_DIR, file), 'utf8')) as Record<string, unknown>;
const compiled = compileValidators();

function verdict(validate: (typeof validators)[SchemaName], data: unknown) {
  const valid = validate(data);
  return { valid, errors: (validate.errors ?? []).map((e) => ({ path: e.instancePath, keyword: e.keyword, params: e.params, data: e.data })) };
}

describe('the precompiled config validators', () => {
  it('GIVEN the jest run WHEN lib/config/validators is imported THEN it is the standalone code, not a run-time compile', () => {
    // ajv's compile() attaches the schema to the function; standalone code does not.
    expect((validators.instance as { schema?: unknown }).schema).toBeUndefined();
    expect((compiled.instance as { schema?: unknown }).schema).toBeDefined();
  });

  const instance = example('instance.yaml');
  const plan = example('queue-plan.yaml');
  const cases: [string, SchemaName, unknown][] = [
    ['the example instance', 'instance', instance],
    ['the example queue plan', 'queuePlan', plan],
    ['an unknown top-level field', 'instance', { ...instance, replicaz: 2 }],
    ['a required field left out', 'instance', { ...instance, namespace: undefined }],
    ['a wrong type', 'instance', { ...instance, namespace: 42 }],
    ['a nested wrong type', 'instance', { ...instance, mastodon: { ...(instance.mastodon as object), version: ['v4'] } }],
    ['a queue plan that is a list', 'queuePlan', [plan]],
    ['null', 'instance', null],
  ];
  it.each(cases)('GIVEN %s WHEN validated by both THEN the verdicts and errors are equal', (_, name, data) => {
    const input = JSON.parse(JSON.stringify(data ?? null)) as unknown;
    expect(verdict(validators[name], input)).toEqual(verdict(compiled[name], input));
  });

  it('GIVEN the invalid cases WHEN validated THEN they fail (the comparison is not between two always-valid functions)', () => {
    expect(validators.instance({ ...instance, replicaz: 2 })).toBe(false);
    expect(validators.instance(JSON.parse(JSON.stringify(instance)))).toBe(true);
  });
});
