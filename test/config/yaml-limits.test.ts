import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, MAX_LISTED_PROBLEMS } from '../../lib/core/errors';
import { loadInstance } from '../../lib/app/load';
import { YamlSource } from '../../lib/core/source';
import { MAX_ALIASED_VALUES, MAX_ENTRIES, MAX_NESTING } from '../../lib/core/yaml-structure';
import { MAX_INPUT_BYTES } from '../../lib/core/read';
import { errorOf, exampleVariant, problemsOf, replaceOnce } from '../helpers';

/** The problems of parsing `text` as `f.yaml`, one per line. */
function parseProblems(text: string): string[] {
  return errorOf(() => YamlSource.parse(text, 'f.yaml')).split('\n');
}

describe('YAML aliases: usable, but never a crash, a cycle or a bomb', () => {
  test('GIVEN an unquoted wildcard host WHEN loaded THEN the alias is explained at its position, not a ReferenceError', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'webDomain: example.social', 'webDomain: *.example.social') });
    const problems = problemsOf(dir);
    expect(problems).toEqual([expect.stringMatching(/^instance\.yaml:\d+:14: mastodon\.webDomain: \*\.example\.social is read as a YAML alias, but no anchor &\.example\.social is defined before it; a value starting with \* must be quoted: "\*\.example\.social"$/)]);
  });

  test('GIVEN an alias inside a list THEN the list item is pointed at', () => {
    expect(parseProblems('hosts:\n  - a.example\n  - *.example.social\n')).toEqual([
      'f.yaml:3:5: hosts[1]: *.example.social is read as a YAML alias, but no anchor &.example.social is defined before it; a value starting with * must be quoted: "*.example.social"',
    ]);
  });

  test('GIVEN a self-referencing alias THEN it is refused (it would be a cyclic value)', () => {
    expect(parseProblems('a: &x\n  b: *x\n')).toEqual(['f.yaml:2:6: a.b: the alias *x is inside the value its anchor &x names; a value cannot contain itself']);
    expect(parseProblems('a: &x [1, *x]\n')).toEqual(['f.yaml:1:11: a[1]: the alias *x is inside the value its anchor &x names; a value cannot contain itself']);
  });

  test('GIVEN an alias bomb (aliases of aliases) THEN it is stopped at the alias that crosses the limit', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 6; i++) levels.push(`${'abcdef'[i]}: &${'abcdef'[i]} [${Array(10).fill(`*${'abcdef'[i - 1]}`).join(', ')}]`);
    const problems = parseProblems(`${levels.join('\n')}\n`);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^f\\.yaml:4:\\d+: d\\[\\d\\]: aliases expand this file by more than ${MAX_ALIASED_VALUES} values \\(an alias of aliases multiplies\\); allowed: at most ${MAX_ALIASED_VALUES} values added by aliases$`))]);
  });

  test('GIVEN anchors and aliases used for a repeated value THEN they load as plain data', () => {
    const source = YamlSource.parse('shared: &pool {threads: 5, queues: [default]}\npools:\n  a: *pool\n  b: *pool\n', 'f.yaml');
    expect(source.data).toEqual({ shared: { threads: 5, queues: ['default'] }, pools: { a: { threads: 5, queues: ['default'] }, b: { threads: 5, queues: ['default'] } } });
  });
});

describe('bounded input: size, length, depth', () => {
  test(`GIVEN a 10 MB value THEN the file is refused by its size (limit ${MAX_INPUT_BYTES} bytes) before it is parsed`, () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'webDomain: example.social', `webDomain: ${'a'.repeat(10_000_000)}`) });
    expect(problemsOf(dir)).toEqual(['instance.yaml:1:1: is larger than 1 MiB, the limit for an input file; a configuration file is a few KiB']);
  });

  test('GIVEN a map with more entries than allowed THEN the first entry over the limit is pointed at', () => {
    const text = `pools:\n${Array.from({ length: MAX_ENTRIES + 5 }, (_, i) => `  p${i}: 1\n`).join('')}`;
    expect(parseProblems(text)).toEqual([`f.yaml:${MAX_ENTRIES + 2}:3: pools: this map has 1,005 entries; allowed: at most 1,000`]);
  });

  test('GIVEN values nested deeper than allowed THEN that is the error, not a stack overflow', () => {
    const text = `a: ${'['.repeat(MAX_NESTING + 10)}${']'.repeat(MAX_NESTING + 10)}\n`;
    expect(parseProblems(text)).toEqual([expect.stringMatching(new RegExp(`^f\\.yaml:1:\\d+: a(\\[0\\])+: values are nested more than ${MAX_NESTING} levels deep here; allowed: at most ${MAX_NESTING} levels$`))]);
  });
});

describe('many problems: all found in linear time, the first ones listed, the rest counted', () => {
  test('GIVEN a queue plan with tens of thousands of problems THEN the first 50 are listed and the rest counted', () => {
    // 400 pools, each with 50 queue names that are not allowed: 20,000 problems in a file under the size limit.
    const queues = Array.from({ length: 50 }, (_, j) => `Q${j}`).join(', ');
    const pools = Array.from({ length: 400 }, (_, i) => `  p${i}: {threads: 1, replicas: 1, queues: [${queues}]}\n`).join('');
    const dir = exampleVariant({ queuePlan: () => `pools:\n${pools}` });
    let error: unknown;
    try {
      loadInstance(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(20_000);
    const lines = message.split('\n');
    expect(lines).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(lines[0]).toMatch(/queue-plan\.yaml:2:42: pools\.p0\.queues\[0\]: "Q0" is not allowed; allowed: a queue name/);
    expect(lines[MAX_LISTED_PROBLEMS]).toBe('… and 19,950 more');
  });

  test('GIVEN thousands of keys defined twice THEN each is found (a set per map, not a search per key)', () => {
    const text = `web:\n${Array.from({ length: 5_000 }, () => '  threads: 1\n').join('')}`;
    const lines = parseProblems(text);
    expect(lines[0]).toBe('f.yaml:3:3: web.threads: the key "threads" is defined twice in this map (first at line 2); each key may appear once');
    // 4,999 duplicates and the map's length: 5,000 problems.
    expect(lines[MAX_LISTED_PROBLEMS]).toBe('… and 4,950 more');
  });
});

test('GIVEN a file that is not UTF-8 THEN that is the error', () => {
  const dir = exampleVariant();
  fs.writeFileSync(path.join(dir, 'queue-plan.yaml'), Buffer.from([0x70, 0x6f, 0x6f, 0x6c, 0x73, 0x3a, 0xff, 0xfe, 0x0a]));
  expect(problemsOf(dir)).toEqual(['queue-plan.yaml:1:1: is not UTF-8 text; save it as UTF-8']);
});
