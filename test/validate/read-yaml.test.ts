import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { yamlFile } from '../../lib/render/canonical';
import { fastDocuments, libraryDocuments, readDocuments } from '../../lib/core/read-yaml';
import { numRuns, seed } from '../fuzz/mutations';
import { GATEWAY_EXAMPLE_DIR, renderedFiles, renderExample } from '../helpers';

/**
 * `validate` and `diff` read most files with a fast reader of the form our writer emits, and leave
 * every other file to the `yaml` library (lib/core/read-yaml.ts). Whatever it takes, it must read
 * as the library does, under YAML 1.2 (validate) and 1.1 (diff, as cdk8s writes): GIVEN files our writer wrote, the same files edited by hand (characters
 * inserted, lines deleted, duplicated or re-indented) and fixed odd forms, THEN the objects are
 * the library's, and the files the writer writes are taken by the fast reader (or the fast path
 * would silently stop saving anything).
 */

/** Characters on the edges of YAML's plain, quoted and block styles and of its number and bool forms. */
const YAML_CHARS = [...'0123456789abefinoxyBEFINOXY.+-_:~<>!&*#|\'"%@`?,[]{}= \t\n\\', '\u00e9', '\u2028', '\u0085', '\ufeff', '\u0001', '\u00a0', '🐘'];
const yamlish = fc.string({ unit: fc.constantFrom(...YAML_CHARS), maxLength: 12 });
const text = fc.oneof(yamlish, fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.stringMatching(/^[~NnTtFfYyOo0-9+\-.:_xeE]{1,8}$/),
  fc.constantFrom('<<', '0o17', '0x1F', '1e3', '.inf', '~', 'y', 'yes', 'on', 'null', 'True', '-0', '+1', '007', '9007199254740993', '12:30',
    'a \n', '\n', '', 'a\n\nb\n', 'a\nb', ' a\n', 'a\n  b\n', '- a', 'a: b', 'a #b', '---', '...', '-c', '--', '%x', 'http://x:1/y', '"', "'", '\\'));
const fieldName = fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9./-]{0,8}$/) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'true', '1', '1e3', 'y', '<<', 'a b', '-a') });
const { manifest } = fc.letrec<{ manifest: Record<string, unknown>; field: unknown }>((tie) => ({
  field: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)), tie('manifest'),
    fc.array(fc.oneof(text, fc.integer(), tie('manifest'), fc.array(text, { maxLength: 2 })), { maxLength: 3 }), fc.constant([]), fc.constant({})),
  manifest: fc.dictionary(fieldName, tie('field'), { minKeys: 1, maxKeys: 4 }),
}));

/** A hand edit of a file's text. */
const edit = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: fc.constantFrom(...'abz019-._:/ '), minLength: 1, maxLength: 3 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: fc.constantFrom(...YAML_CHARS), minLength: 1, maxLength: 3 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(' # note', '\n# note\n', ' &a', ' *a', ' !!str', '\n---\n', '\n...\n', '\n\n', '  ', '\r') }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('line' as const), at: fc.nat(), action: fc.constantFrom('duplicate', 'delete', 'indent', 'outdent') }),
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(source: string, e: Edit): string {
  const at = e.at % (source.length + 1);
  if (e.op === 'insert') return source.slice(0, at) + e.text + source.slice(at);
  if (e.op === 'delete') return source.slice(0, at) + source.slice(at + e.length);
  const lines = source.split('\n');
  const i = e.at % lines.length;
  if (e.action === 'duplicate') lines.splice(i, 0, lines[i]);
  else if (e.action === 'delete') lines.splice(i, 1);
  else if (e.action === 'indent') lines[i] = `  ${lines[i]}`;
  else lines[i] = lines[i].replace(/^ {1,2}/, '');
  return lines.join('\n');
}

/** Whether the fast reader declines `source` or reads it as the library does under YAML 1.2 and 1.1 (the library may throw). */
function agrees(source: string): boolean {
  const fast = fastDocuments(source);
  if (fast === undefined) return true;
  return isDeepStrictEqual(fast, libraryDocuments(source)) && isDeepStrictEqual(fast, libraryDocuments(source, false, '1.1'));
}

describe('reading rendered YAML', () => {
  const options = { numRuns: numRuns(300), seed: seed() };

  test('GIVEN every file rendered from the fixtures THEN the fast reader takes it and reads what the library reads', () => {
    const files = [...renderExample(), ...renderedFiles(GATEWAY_EXAMPLE_DIR)].filter(([file]) => file.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(50);
    for (const [file, content] of files) {
      expect([file, fastDocuments(content)]).toEqual([file, libraryDocuments(content)]);
      expect([file, fastDocuments(content)]).toEqual([file, libraryDocuments(content, false, '1.1')]);
    }
  });

  test('GIVEN random objects our writer writes THEN the fast reader reads what the library reads, and takes most of them', () => {
    let taken = 0;
    fc.assert(fc.property(manifest, (o) => {
      const source = yamlFile(o);
      if (fastDocuments(source) !== undefined) taken++;
      return agrees(source);
    }), options);
    expect(taken).toBeGreaterThan(options.numRuns / 5);
  });

  test('GIVEN written files edited by hand THEN whatever the fast reader takes, it reads as the library does', () => {
    let taken = 0;
    fc.assert(fc.property(manifest, fc.array(edit, { minLength: 1, maxLength: 2 }), (o, edits) => {
      const source = edits.reduce(applyEdit, yamlFile(o));
      if (fastDocuments(source) !== undefined) taken++;
      return agrees(source);
    }), { ...options, numRuns: numRuns(3000) });
    // Many edits keep the form (a changed character in a value): the comparison is really made.
    expect(taken).toBeGreaterThan(numRuns(3000) / 20);
  });

  test('GIVEN rendered files edited by hand THEN whatever the fast reader takes, it reads as the library does', () => {
    const files = [...renderExample().values()].filter((content) => content.startsWith('---\n'));
    let taken = 0;
    fc.assert(fc.property(fc.nat(files.length - 1), fc.array(edit, { minLength: 1, maxLength: 2 }), (i, edits) => {
      const source = edits.reduce(applyEdit, files[i]);
      if (fastDocuments(source) !== undefined) taken++;
      return agrees(source);
    }), { ...options, numRuns: numRuns(1000) });
    expect(taken).toBeGreaterThan(numRuns(1000) / 5);
  });

  test.each([
    ['a comment', '---\n# note\na: 1\n'],
    ['a trailing comment', '---\na: 1 # note\n'],
    ['an anchor and alias', '---\na: &x\n  b: 1\nc: *x\n'],
    ['a merge key', '---\na: &x\n  b: 1\nc:\n  <<: *x\n'],
    ['a duplicate key', '---\na: 1\na: 2\n'],
    ['a duplicate key in a list item', '---\na:\n  - b: 1\n    b: 2\n'],
    ['two documents', '---\na: 1\n---\nb: 2\n'],
    ['a document end', '---\na: 1\n...\n'],
    ['no document marker', 'a: 1\n'],
    ['a YAML 1.1 directive', '%YAML 1.1\n---\na: yes\nb: 0o17\n'],
    ['a tag', '---\na: !!str 1\n'],
    ['flow collections', '---\na: [1, 2]\nb: {c: d}\n'],
    ['a folded block', '---\na: >\n  b\n  c\n'],
    ['a keep block', '---\na: |+\n  b\n\n'],
    ['a block with trailing blank lines', '---\na: |\n  b\n\nc: 1\n'],
    ['a plain scalar over two lines', '---\na: b\n  c\n'],
    ['a list item over two lines', '---\na:\n  - b\n    c\n'],
    ['a list at its key\'s indentation', '---\na:\n- b\n'],
    ['four-space indentation', '---\na:\n    b: 1\n'],
    ['a key without a value', '---\na:\nb: 1\n'],
    ['null, float, octal, hex, big integer, capitalised bool', '---\na: null\nb: 1.5\nc: 0o17\nd: 0x1F\ne: 12345678901234567890\nf: True\ng: ~\nh: -0\n'],
    ['CRLF line ends', '---\r\na: 1\r\n'],
    ['a tab', '---\na:\tb\n'],
    ['no final newline', '---\na: 1'],
    ['a byte-order mark', '\ufeff---\na: 1\n'],
    ['__proto__ and constructor keys', '---\n__proto__: 1\nconstructor: 2\n'],
    ['a quoted key', '---\n"a b": 1\n'],
    ['a double-quoted escape', '---\na: "b\\nc\\u0041"\n'],
    ['a single-quoted quote', "---\na: 'it''s'\n"],
    ['a JSON file', '{"apiVersion": "v1", "kind": "ConfigMap"}'],
    ['an empty file', ''],
  ])('GIVEN %s THEN it reads as the library reads it', (_, source) => {
    expect(agrees(source)).toBe(true);
    let expected: unknown;
    try {
      expected = libraryDocuments(source);
    } catch (e) {
      expected = e;
    }
    if (expected instanceof Error) expect(() => readDocuments(source)).toThrow(expected.message);
    else expect(readDocuments(source)).toEqual(expected);
    let expected11: unknown;
    try {
      expected11 = libraryDocuments(source, false, '1.1');
    } catch (e) {
      expected11 = e;
    }
    if (expected11 instanceof Error) expect(() => readDocuments(source, false, '1.1')).toThrow(expected11.message);
    else expect(readDocuments(source, false, '1.1')).toEqual(expected11);
  });

  test('GIVEN the forms the writer emits THEN the fast reader takes them', () => {
    const source = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: |\n    one\n\n      two\n  b: "0o17"\n  c: \'say "hi"\'\n  d: "a \\"b\\" \\\\"\n'
      + 'spec:\n  list:\n    - -c\n    - 1\n    - name: "y"\n      value: true\n    - []\n  empty: {}\n  m: -12\n  url: http://x:1/y?z=a#b\n';
    expect(fastDocuments(source)).toEqual(libraryDocuments(source));
    expect(fastDocuments(source)).toEqual(libraryDocuments(source, false, '1.1'));
    expect(fastDocuments(source)).toEqual([{
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' },
      data: { a: 'one\n\n  two\n', b: '0o17', c: 'say "hi"', d: 'a "b" \\' },
      spec: { list: ['-c', 1, { name: 'y', value: true }, []], empty: {}, m: -12, url: 'http://x:1/y?z=a#b' },
    }]);
  });

  test.each([['yes', true], ['on', true], ['y', true], ['no', false], ['off', false], ['12:30', 750], ['0777', 511], ['1_000', 1000], ['e5', NaN]])('GIVEN the plain scalar %s THEN both versions read it as the library does (YAML 1.1: %s)', (value, in11) => {
    const source = `---\na: ${value}\n${value}: b\n`;
    expect(agrees(source)).toBe(true);
    expect(readDocuments(source, false, '1.1')[0]).toEqual(libraryDocuments(source, false, '1.1')[0]);
    expect((readDocuments(source, false, '1.1')[0] as Record<string, unknown>).a).toEqual(in11);
    expect(readDocuments(source)).toEqual(libraryDocuments(source));
  });
});
