import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers';
import { ALLOWED, cycles, Edge, importGraph, LAYERS, layerOf, repoViolations, sourceFiles, specifiers, violations } from './layers';

const REPO = path.join(__dirname, '..', '..');

describe('the import rules of lib/', () => {
  test('GIVEN the repository WHEN its imports are read THEN no rule is broken', () => {
    expect(repoViolations(REPO)).toEqual([]);
  });

  test('GIVEN the table THEN every layer an entry allows is itself a layer', () => {
    const layers = new Set([...LAYERS.map((l) => l.layer), 'constructs/*']);
    for (const [layer, allowed] of Object.entries(ALLOWED)) {
      expect(layers.has(layer) || layer === 'constructs/*').toBe(true);
      for (const a of allowed) expect([layer, a, layers.has(a)]).toEqual([layer, a, true]);
    }
  });

  test('GIVEN the README\'s code layers THEN every folder of lib/ (and every construct area) has its row, and every row names a folder', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Code layers'), readme.indexOf('## Add your own instance'));
    const rows = [...section.matchAll(/^\| `(lib\/[^`]+\/)` \|/gm)].map((m) => m[1]);
    const areas = fs.readdirSync(path.join(REPO, 'lib', 'constructs')).filter((a) => a !== 'common');
    const folders = fs.readdirSync(path.join(REPO, 'lib')).filter((f) => f !== 'constructs').map((f) => `lib/${f}/`);
    expect(rows.filter((r) => !fs.existsSync(path.join(REPO, r.replace('<area>/', ''))))).toEqual([]);
    expect(folders.filter((f) => !rows.includes(f))).toEqual([]);
    for (const area of areas) expect(section).toContain(`\`${area}\``);
    for (const f of folders) expect(layerOf(`${f}x.ts`)).toBeDefined();
  });

  test('GIVEN a file of every kind of import THEN the parser finds each with its line', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "export { c } from './c';",
      "export * from './d';",
      "type E = import('./e').E;",
      "const f = require('./f');",
      "import * as fs from 'node:fs';",
    ].join('\n');
    expect(specifiers('x.ts', text)).toEqual([
      { spec: './a', line: 1 },
      { spec: '../b', line: 2 },
      { spec: './c', line: 3 },
      { spec: './d', line: 4 },
      { spec: './e', line: 5 },
      { spec: './f', line: 6 },
      { spec: 'node:fs', line: 7 },
    ]);
  });

  test('GIVEN paths THEN each belongs to the layer of its longest prefix; construct areas are layers of their own', () => {
    expect(layerOf('lib/core/errors.ts')).toBe('core');
    expect(layerOf('lib/constructs/common/spread.ts')).toBe('constructs/common');
    expect(layerOf('lib/constructs/mastodon/web.ts')).toBe('constructs/mastodon');
    expect(layerOf('lib/elsewhere/x.ts')).toBeUndefined();
  });
});

describe('the checker fails when a rule is broken', () => {
  const root = '/nonexistent';
  const check = (edges: Edge[]) => {
    const files = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();
    // every file exists in the synthetic graph: resolve against the list only
    return violations(root, edges, files);
  };

  test('GIVEN render importing a chart THEN that edge is reported', () => {
    expect(check([{ from: 'lib/render/x.ts', line: 1, to: 'lib/charts/y.ts' }])).toEqual(['lib/render/x.ts → lib/charts/y.ts (render → charts not allowed)']);
  });

  test('GIVEN an upward import from config into a construct area THEN it is reported', () => {
    expect(check([{ from: 'lib/config/load.ts', line: 3, to: 'lib/constructs/network/x.ts' }])).toEqual([
      'lib/config/load.ts → lib/constructs/network/x.ts (config → constructs/network not allowed)',
    ]);
  });

  test('GIVEN one construct area importing another THEN it is reported; importing common is allowed', () => {
    expect(
      check([
        { from: 'lib/constructs/edge/a.ts', line: 1, to: 'lib/constructs/mastodon/b.ts' },
        { from: 'lib/constructs/edge/a.ts', line: 2, to: 'lib/constructs/common/c.ts' },
      ]),
    ).toEqual(['lib/constructs/edge/a.ts → lib/constructs/mastodon/b.ts (constructs/edge → constructs/mastodon not allowed)']);
  });

  test('GIVEN two files that import each other THEN the cycle is reported', () => {
    expect(
      check([
        { from: 'lib/render/a.ts', line: 1, to: 'lib/render/b.ts' },
        { from: 'lib/render/b.ts', line: 1, to: 'lib/render/a.ts' },
      ]),
    ).toEqual(['cycle: lib/render/a.ts → lib/render/b.ts → lib/render/a.ts']);
  });

  test('GIVEN a file in an unlisted folder or in a top-level charts/ THEN it is reported', () => {
    expect(
      check([
        { from: 'lib/extras/a.ts', line: 1, to: 'lib/core/b.ts' },
        { from: 'charts/c.ts', line: 1, to: 'lib/core/b.ts' },
      ]),
    ).toEqual(['charts/c.ts (top-level charts/: move it under lib/)', 'lib/extras/a.ts (in no layer)']);
  });

  test('GIVEN layers that reach each other through different files THEN the layer cycle is reported', () => {
    expect(cycles(['a', 'b', 'c'], (n) => ({ a: ['b'], b: ['a'], c: ['a'] })[n] ?? [])).toEqual([['a', 'b']]);
  });

  test('GIVEN a real folder where lib/core/a.ts imports ../model/b THEN the repository check reports exactly that', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'lib', 'core'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'lib', 'model'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lib', 'core', 'a.ts'), "import { b } from '../model/b';\nexport const a = b;\n");
    fs.writeFileSync(path.join(dir, 'lib', 'model', 'b.ts'), 'export const b = 1;\n');
    expect(sourceFiles(dir, ['lib'])).toEqual(['lib/core/a.ts', 'lib/model/b.ts']);
    expect(importGraph(dir)).toEqual([{ from: 'lib/core/a.ts', line: 1, to: 'lib/model/b.ts' }]);
    expect(repoViolations(dir)).toEqual(['lib/core/a.ts → lib/model/b.ts (core → model not allowed)']);
  });
});
