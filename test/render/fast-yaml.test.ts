import { Yaml } from 'cdk8s';
import { parse } from 'yaml';
import { canonical } from '../../lib/render/canonical';
import { fastYaml } from '../../lib/render/fast-yaml';
import { libraryYaml, readsBackEqual } from '../../lib/render/library-yaml';
import { EXAMPLE_DIR, GATEWAY_EXAMPLE_DIR, renderedFiles } from '../helpers';

/** The library writer of the canonical object, which the fast one must match byte for byte. */
const reference = (value: unknown) => libraryYaml(canonical(value));
/** cdk8s' own writer, which both match wherever its output reads back right. */
const cdk8s = (value: unknown) => Yaml.stringify(canonical(value));

/** Every object the two example fixtures render, read back as YAML 1.1 like a cluster would. */
function renderedObjects(): unknown[] {
  return [EXAMPLE_DIR, GATEWAY_EXAMPLE_DIR].flatMap((dir) => [...renderedFiles(dir)]
    .filter(([file]) => file.endsWith('.yaml'))
    .map(([, content]) => parse(content, { version: '1.1' })));
}

/** Strings on the edge of YAML's plain, quoted and block styles. */
const TRICKY = [
  '', ' ', 'plain', 'with space', 'true', 'True', 'FALSE', 'y', 'n', 'yes', 'No', 'on', 'off', '~', 'null', 'Null',
  '0', '25060', '-1', '+1', '1.5', '.5', '1e3', '0x1F', '0o17', '017', '1_000', '12:30', '1:20:30', '.inf', '-.Inf', '.NaN',
  '2026-11-22', '2026-11-22T06:00:00Z', '-', '?', '- a', '? a', 'a: b', 'a:b', 'a:', 'a #b', 'a#b', '#x', '&x', '*x', '!x',
  '|x', '>x', '%x', '@x', '`x', "'x", '"x', 'x"y', "x'y", `x"y'z`, '[x]', '{x}', 'x,y', ' lead', 'trail ', '---', '...', '--- x',
  '0 */6 * * *', '*.dump', 'é', 'Example <a@b.c>', 'https://a.b/c?d=e#f', '$(VAR)', '\\', 'a\\b', 'tab\there',
  'line\n', 'two\nlines\n', 'no end\nnewline', 'blank\n\nline\n', 'ends\n\n', ' indented\nx\n', '\nstarts\n', 'x \n',
  'tabbed\n\tline\n', 'a: b\nc\n', '# c\nx\n', 'x\n---\ny\n', 'ctrl\u0001', 'nbsp\u00a0', 'ls\u2028x',
];

describe('fastYaml', () => {
  test('GIVEN every object the example renders WHEN written THEN it is byte-equal to cdk8s\' Yaml.stringify', () => {
    const objects = renderedObjects();
    expect(objects.length).toBeGreaterThan(5);
    for (const object of objects) {
      const fast = fastYaml(object);
      expect(fast).toBeDefined();
      expect(fast).toBe(reference(object));
      expect(fast).toBe(cdk8s(object));
    }
  });

  test.each(TRICKY.map((s) => [JSON.stringify(s), s]))('GIVEN the string %s in every position THEN it is written like the library or left to it', (_, s) => {
    const shapes = [
      { k: s },
      { a: { b: { c: s } } },
      { list: [s, 'x'] },
      { list: [{ name: s, value: s }] },
      { a: { list: [{ nested: { deep: s } }, s] } },
    ];
    for (const shape of shapes) {
      const fast = fastYaml(shape);
      if (fast !== undefined) expect(fast).toBe(reference(shape));
      expect(readsBackEqual(reference(shape), canonical(shape))).toBe(true);
      if (readsBackEqual(cdk8s(shape), canonical(shape))) expect(reference(shape)).toBe(cdk8s(shape));
    }
  });

  test('GIVEN other values THEN they are written like the library or left to it', () => {
    const shapes: unknown[] = [
      { n: 0 }, { n: -0 }, { n: 1.5 }, { n: 2 ** 60 }, { b: true, f: false }, { e: {}, l: [] }, { x: null },
      { list: [[1, 2]] }, { list: [{}] }, { list: [[]] }, { 'y': 1 }, { 'on': 1 }, { '1': 1 }, { 'a b': 1 }, { 'a:b': 1 },
      { 'app.kubernetes.io/name': 'x' }, { list: [1, true, 'x'] }, {}, [], 'scalar',
      { z: 1, metadata: { b: 1, a: 2 }, kind: 'K', apiVersion: 'v1', a: [{ d: 1, c: 2 }] },
    ];
    for (const shape of shapes) {
      const fast = fastYaml(shape);
      if (fast !== undefined) expect(fast).toBe(reference(shape));
    }
  });
});

/**
 * Where cdk8s' writer is wrong, ours deliberately differs; `npx cdk8s synth` runs our CLI
 * (cdk8s.yaml), so only code calling cdk8s' Yaml.stringify itself writes these. Read in
 * cdk8s@2.70.106 lib/yaml.js:47 (`yamlSchemaVersion = '1.1'`) and :78 (`YAML.stringify(r,
 * { keepUndefined: true, lineWidth: 0, version })`), and yaml@2.9.1
 * dist/schema/yaml-1.1/merge.js:14-23 (the merge tag identifies any `<<` string and writes it
 * plain) and dist/stringify/stringify.js:50-77 (the first tag that identifies a value writes it).
 */
describe('the YAML writer where cdk8s\' writer reads back wrong', () => {
  test.each([
    ['a YAML 1.2 octal', { k: '0o17' }, 'k: "0o17"\n', 'k: 0o17\n'],
    ['a YAML 1.2 octal as a key', { '0o17': 'x' }, '"0o17": x\n', '0o17: x\n'],
    ['the merge key of YAML 1.1', { '<<': 'x' }, '"<<": x\n', '<<: x\n'],
    ['a space before a newline', { k: ' \n' }, '"k": "\\ \\n"\n', 'k: |+\n   \n'],
  ])('GIVEN %s THEN ours reads back equal under YAML 1.1 and 1.2, where cdk8s\' does not', (_, value, ours, theirs) => {
    expect(cdk8s(value)).toBe(theirs);
    expect(readsBackEqual(theirs, value)).toBe(false);
    expect(reference(value)).toBe(ours);
    expect(readsBackEqual(ours, value)).toBe(true);
    const fast = fastYaml(value);
    if (fast !== undefined) expect(fast).toBe(ours);
  });

  test('GIVEN the string "<<" as a value THEN it stays plain as cdk8s writes it (only a key merges)', () => {
    expect(fastYaml({ k: '<<' })).toBe('k: <<\n');
    expect(reference({ k: '<<' })).toBe(cdk8s({ k: '<<' }));
  });
});
