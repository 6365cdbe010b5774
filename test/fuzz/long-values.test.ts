import * as path from 'node:path';
import { isMap, isScalar, isSeq, Node, parseDocument, Scalar } from 'yaml';
import { findCredential } from '../../lib/core/credentials';
import { show } from '../../lib/core/show';
import { tempDir } from '../helpers';
import { checkInstance, EXAMPLE_INSTANCE, EXAMPLE_QUEUE_PLAN, writeInstance } from './mutations';

/**
 * Long values shaped to make a backtracking regular expression quadratic (200 000 characters took
 * 40 s before lib/core/credentials.ts was made linear; 50 000 in `npm test` would take 2.5 s).
 */
const LENGTH = process.env.NUM_RUNS ? 200_000 : 50_000;
const ADVERSARIAL: Readonly<Record<string, string>> = {
  'letters then @': `${'a'.repeat(LENGTH)}@`,
  'a secret-named query parameter repeated': `?${'token'.repeat(LENGTH / 5)}`,
  'scheme separators': `${'a://'.repeat(LENGTH / 4)}@`,
  'mixed case and digits': 'aB3'.repeat(LENGTH / 3),
  'dots and dashes': 'a.-'.repeat(LENGTH / 3),
  'JWT prefixes': 'eyJ.'.repeat(LENGTH / 4),
  'a PEM header, unterminated': `-----BEGIN PRIVATE KEY-----${'A'.repeat(LENGTH)}`,
  'colons and spaces': 'a: '.repeat(LENGTH / 3),
};

/** Every scalar path of a document. */
function scalarPaths(node: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (isMap(node)) return node.items.flatMap((p) => (isScalar(p.key) ? [...(isScalar(p.value) ? [[...prefix, p.key.value as string]] : []), ...scalarPaths(p.value, [...prefix, p.key.value as string])] : []));
  if (isSeq(node)) return node.items.flatMap((item, i) => [...(isScalar(item) ? [[...prefix, i]] : []), ...scalarPaths(item, [...prefix, i])]);
  return [];
}

/**
 * GIVEN a 50 000 to 200 000-character value shaped against backtracking WHEN it is searched for
 * credentials, quoted in a message, or put at a path of instance.yaml and loaded THEN each ends
 * (a clean error), in about the time it takes to read it: a hang shows as this test's timeout.
 * `npm test` puts one shape at every path in turn; `npm run fuzz` every shape at every path.
 */
describe('long values', () => {
  test.each(Object.entries(ADVERSARIAL))('GIVEN %s THEN credential search and quoting end', (_, value) => {
    findCredential(value);
    expect(show(value).length).toBeLessThan(300);
  });

  const paths = scalarPaths(parseDocument(EXAMPLE_INSTANCE).contents as Node);
  const shapes = Object.values(ADVERSARIAL);
  const all = Boolean(process.env.NUM_RUNS);
  test(`GIVEN a long value at each of the example's ${paths.length} scalar paths THEN it ends in a clean error or a valid render`, () => {
    const root = tempDir();
    paths.forEach((p, i) => {
      for (const [j, value] of shapes.entries()) {
        if (!all && j !== i % shapes.length) continue;
        const doc = parseDocument(EXAMPLE_INSTANCE);
        doc.setIn(p, new Scalar(value));
        const dir = path.join(root, `long-${i}-${j}`);
        writeInstance(dir, String(doc), EXAMPLE_QUEUE_PLAN);
        checkInstance(dir, []);
      }
    });
  }, all ? 0 : undefined);
});
