import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { JsonSchema, nodeAt } from '../../lib/config/schema/emit';
import { REPO } from '../helpers';

/**
 * The README's "instance.yaml in brief" table against the instance schema: every key in the key
 * column is a setting, and every default the table states, written "`key` (default `value`)" (or
 * "`a`/`b` (default `value`)" for several), is the setting's schema `default`. A key-column setting with a default must state it.
 */

const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'lib', 'config', 'schemas', 'instance.schema.json'), 'utf8')) as JsonSchema;

interface Row {
  readonly line: string;
  /** The settings the key column names. */
  readonly keys: string[];
  readonly meaning: string;
}

/** The table's rows, from the README under the heading. */
function briefTable(readme: string): Row[] {
  const section = readme.split('### instance.yaml in brief')[1]?.split(/\n#/)[0];
  if (section === undefined) throw new Error('README has no "### instance.yaml in brief" section');
  const lines = section.split('\n').filter((l) => l.startsWith('| `'));
  return lines.map((line) => {
    const [keyCell, meaning] = line.split(' | ').map((c) => c.replace(/^\| /, '').replace(/ \|$/, ''));
    const tokens = [...keyCell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    // `a.b`, `c` names a.b and a.c; a token that is a setting from the top stands for itself.
    const parent = tokens[0].split('.').slice(0, -1);
    const keys = tokens.map((t, i) => (i === 0 || exists(t) ? t : [...parent, t].join('.')));
    return { line, keys, meaning };
  });
}

function exists(key: string): boolean {
  try {
    nodeAt(schema, key);
    return true;
  } catch {
    return false;
  }
}

/** A setting named relatively in a row: below the keys mentioned just before it, or the row's keys. */
function resolveIn(token: string, bases: readonly string[]): string | undefined {
  for (const base of bases) {
    const parts = base.split('.');
    for (let n = parts.length; n >= 0; n -= 1) {
      const candidate = [...parts.slice(0, n), token].join('.');
      if (exists(candidate)) return candidate;
    }
  }
  return undefined;
}

interface StatedDefault {
  readonly key: string | undefined;
  readonly token: string;
  readonly value: string;
}

/** Every "`a` (default `v`)" or "`a`/`b` (default `v`)" of a row's meaning, with the settings it names. */
function statedDefaults(row: Row): StatedDefault[] {
  const out: StatedDefault[] = [];
  const mentioned: string[] = [];
  const pattern = /((?:`[^`]+`\/)*`[^`]+`)? ?\(default `([^`]+)`|`([^`]+)`/g;
  for (const m of row.meaning.matchAll(pattern)) {
    if (m[2] === undefined) {
      // A key mentioned in passing: later relative names are read below it.
      const key = resolveIn(m[3], [...mentioned, ...row.keys]);
      if (key) mentioned.unshift(key);
      continue;
    }
    const group = m[1] ? [...m[1].matchAll(/`([^`]+)`/g)].map((g) => g[1]) : [];
    if (group.length === 0) {
      if (row.keys.length !== 1) throw new Error(`"(default ${m[2]})" follows no key in: ${row.line}`);
      out.push({ key: row.keys[0], token: row.keys[0], value: m[2] });
      continue;
    }
    for (const token of group) {
      const key = resolveIn(token, [...mentioned, ...row.keys]);
      out.push({ key, token, value: m[2] });
      if (key) mentioned.unshift(key);
    }
  }
  return out;
}

/** A default as the README writes it: a string as is, anything else as YAML. */
function sameDefault(written: string, schemaDefault: unknown): boolean {
  return typeof schemaDefault === 'string' ? written === schemaDefault : JSON.stringify(parse(written)) === JSON.stringify(schemaDefault);
}

describe('README "instance.yaml in brief"', () => {
  const rows = briefTable(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8'));

  test('GIVEN the table THEN it has its rows', () => {
    expect(rows.length).toBeGreaterThan(15);
  });

  test('GIVEN the key column THEN every key is a setting of the instance schema', () => {
    const unknown = rows.flatMap((r) => r.keys).filter((k) => !exists(k));
    expect(unknown).toEqual([]);
  });

  test('GIVEN a stated default THEN it names a setting and is the schema default', () => {
    const stated = rows.flatMap(statedDefaults);
    expect(stated.length).toBeGreaterThan(30);
    const wrong = stated
      .filter((s) => s.key === undefined || !sameDefault(s.value, nodeAt(schema, s.key).default))
      .map((s) => ({ token: s.token, key: s.key, readme: s.value, schema: s.key && nodeAt(schema, s.key).default }));
    expect(wrong).toEqual([]);
  });

  test('GIVEN a key-column setting with a schema default THEN its row states it', () => {
    const missing = rows.flatMap((row) => {
      const stated = new Set(statedDefaults(row).map((s) => s.key));
      return row.keys.filter((k) => 'default' in nodeAt(schema, k) && !stated.has(k));
    });
    expect(missing).toEqual([]);
  });

  test('GIVEN a row that states a wrong default or names no setting THEN the check finds it', () => {
    const row: Row = { line: '', keys: ['web.replicas', 'web.workers'], meaning: '`workers` (default `3`), `nothing` (default `1`)' };
    const stated = statedDefaults(row);
    expect(stated).toEqual([{ key: 'web.workers', token: 'workers', value: '3' }, { key: undefined, token: 'nothing', value: '1' }]);
    expect(sameDefault('3', nodeAt(schema, 'web.workers').default)).toBe(false);
  });
});
