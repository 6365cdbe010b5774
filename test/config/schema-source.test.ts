import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALLOWED } from '../../lib/config/schema/annotations';
import { JsonSchema, SCHEMA_FILES } from '../../lib/config/schema/emit';
import { allowedMessage } from '../../lib/config/schema/kit';
import { schemaFiles } from '../../scripts/schema-defaults';
import { REPO } from '../helpers';

/**
 * The JSON Schemas in lib/config/schemas/ are emitted from the TypeBox source in lib/config/schema/
 * (`npm run schemas`); these tests keep the committed files, the source and the editors' annotations
 * in step.
 */

const SCHEMAS_DIR = path.join(REPO, 'lib', 'config', 'schemas');
const FILES = Object.values(SCHEMA_FILES);

function committed(dir: string, file: string): JsonSchema {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as JsonSchema;
}

/** Every schema node with its JSON pointer. */
function* nodes(node: unknown, pointer = ''): Generator<[string, JsonSchema]> {
  if (Array.isArray(node)) {
    for (const [i, child] of node.entries()) yield* nodes(child, `${pointer}/${i}`);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  yield [pointer, node as JsonSchema];
  for (const [key, child] of Object.entries(node)) {
    if (key === 'properties' || key === 'definitions') {
      for (const [name, sub] of Object.entries(child as object)) yield* nodes(sub, `${pointer}/${key}/${name}`);
    } else if (typeof child === 'object' && key !== 'default' && key !== 'enum') {
      yield* nodes(child, `${pointer}/${key}`);
    }
  }
}

describe('the committed JSON Schemas', () => {
  const emitted = schemaFiles();

  test.each(FILES)('GIVEN the TypeBox source WHEN it is emitted THEN %s is the committed file (run npm run schemas)', (file) => {
    expect(fs.readFileSync(path.join(SCHEMAS_DIR, file), 'utf8')).toBe(emitted[file]);
  });

  test.each(FILES)('GIVEN %s THEN every property has a description (shown on hover by editors)', (file) => {
    const schema = committed(SCHEMAS_DIR, file);
    const missing = [...nodes(schema)]
      .filter(([pointer]) => /\/properties\/[^/]+$/.test(pointer))
      .filter(([, node]) => typeof node.description !== 'string' || node.description.trim() === '')
      .map(([pointer]) => pointer);
    expect(missing).toEqual([]);
    expect([...nodes(schema)].filter(([pointer]) => /\/properties\/[^/]+$/.test(pointer)).length).toBeGreaterThan(10);
  });

  test.each(FILES)('GIVEN %s THEN every pattern says what it allows, for the CLI (x-allowed) and for editors (patternErrorMessage)', (file) => {
    const patterns = [...nodes(committed(SCHEMAS_DIR, file))].filter(([, node]) => typeof node.pattern === 'string');
    expect(patterns.length).toBeGreaterThan(0);
    for (const [pointer, node] of patterns) {
      expect({ pointer, allowed: typeof node[ALLOWED] }).toEqual({ pointer, allowed: 'string' });
      expect({ pointer, message: node.patternErrorMessage }).toEqual({ pointer, message: allowedMessage(node[ALLOWED] as string) });
    }
  });

  test.each(FILES)('GIVEN %s THEN an errorMessage is the x-allowed wording, and no object has one (it would hide the editor\'s field messages)', (file) => {
    const withMessage = [...nodes(committed(SCHEMAS_DIR, file))].filter(([, node]) => node.errorMessage !== undefined);
    expect(withMessage.length).toBeGreaterThan(0);
    for (const [pointer, node] of withMessage) {
      expect({ pointer, message: node.errorMessage, object: node.type === 'object' }).toEqual({ pointer, message: allowedMessage(node[ALLOWED] as string), object: false });
    }
  });

  test.each(FILES)('GIVEN %s THEN a description that names a default (editors show descriptions on hover, not defaults) names the schema default', (file) => {
    const stated = [...nodes(committed(SCHEMAS_DIR, file))]
      .filter(([, node]) => 'default' in node && typeof node.default !== 'object' && /\bDefault\b/.test(String(node.description)))
      .map(([pointer, node]) => ({ pointer, text: String(node.description).slice(String(node.description).search(/\bDefault\b/)), value: String(node.default) }));
    expect(stated.length).toBeGreaterThan(0);
    for (const s of stated) expect({ pointer: s.pointer, names: wholeWord(s.value).test(s.text) }).toEqual({ pointer: s.pointer, names: true });
  });
});

/** `value` as a word of its own: `2` is not named by `25061`. */
function wholeWord(value: string): RegExp {
  return new RegExp(`(^|[^\\w.-])${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}([^\\w-]|$)`);
}
