import { parseAllDocuments } from 'yaml';
import { readsAsOther } from './yaml-types';

/**
 * The objects in a file's text, exactly as the `yaml` library reads them: every document's
 * `toJS()` from its `parseAllDocuments`, with the YAML `version` given (1.2, core schema, by
 * default; `diff` reads 1.1, as cdk8s writes it). Most files are taken by a fast reader of the one
 * form our writer emits (lib/render/fast-yaml.ts: one `---` document, a block map with two-space
 * indentation, simple keys, plain, quoted and `|` strings, integers, booleans, `[]` and `{}`); that
 * reader gives up on the first line outside that form (a comment, an anchor, a tag, a flow
 * collection, a duplicate key, odd indentation, a second document, a plain scalar that YAML 1.1 or
 * 1.2 reads as something other than a string, a bool or an integer…) and the library reads the
 * whole file. What the fast reader takes, both versions read alike, so it serves both. The library
 * builds a syntax tree and a document per file, which was three quarters of validating a thousand
 * instances. test/validate/read-yaml.test.ts holds the fast reader to the library, under both
 * versions, on written and mutated documents.
 */
export function readDocuments(text: string, quiet = false, version: YamlVersion = '1.2'): unknown[] {
  return fastDocuments(text) ?? libraryDocuments(text, quiet, version);
}

export type YamlVersion = '1.1' | '1.2';

/** What the `yaml` library reads; `quiet` keeps its warnings (a key that is a collection) to itself, for a file read a second time. */
export function libraryDocuments(text: string, quiet = false, version: YamlVersion = '1.2'): unknown[] {
  return parseAllDocuments(text, quiet ? { logLevel: 'silent', version } : { version }).map((d) => d.toJS() as unknown);
}

/** The fast reader alone: the file's one object, or undefined where it leaves the file to the library. */
export function fastDocuments(text: string): unknown[] | undefined {
  if (!text.startsWith('---\n') || !text.endsWith('\n') || UNSUPPORTED_CHARACTER.test(text)) return undefined;
  const lines = text.split('\n');
  lines.pop();
  const reader: Reader = { lines, at: 1 };
  try {
    if (lines.length < 2 || indentOf(lines[1]) !== 0) return undefined;
    const object = readMap(reader, 0);
    return reader.at === lines.length ? [object] : undefined;
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}

/** Thrown (one object, no stack) when the text leaves the fast reader's form. */
const UNSUPPORTED = Symbol('unsupported');

interface Reader {
  readonly lines: readonly string[];
  /** The next line to read. */
  at: number;
}

/** Tabs, carriage returns, other control characters, line and paragraph separators, byte-order marks, lone surrogates. */
const UNSUPPORTED_CHARACTER = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\p{Cs}/u;
/** A key the reader takes: a field name or label key (no `<<`, `__proto__` is caught as a key of every object). */
const SIMPLE_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]{0,252}$/;
/** Plain scalars the reader leaves to the library: an indicator or space first, `: ` or ` #` inside, space or `:` last, a document marker. */
const NOT_PLAIN = /^[ ,[\]{}#&*!|>'"%@`?:]|^-(?: |$)|: | #|[ :]$|^(?:---|\.\.\.)/;
const DOUBLE_QUOTED = /^"(?:[^"\\]|\\["\\])*"$/;
const SINGLE_QUOTED = /^'[^']*'$/;
/** Integers read exactly as numbers (and as the library reads them under YAML 1.1 and 1.2). */
const INTEGER = /^(?:0|-?[1-9][0-9]{0,14})$/;

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

/** A block map whose keys start at column `indent` (its first line is at that indentation). */
function readMap(reader: Reader, indent: number): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  readEntries(reader, map, indent);
  return map;
}

function readEntries(reader: Reader, map: Record<string, unknown>, indent: number): void {
  const { lines } = reader;
  while (reader.at < lines.length) {
    const line = lines[reader.at];
    const at = indentOf(line);
    if (at < indent) return;
    if (at !== indent) throw UNSUPPORTED;
    readEntry(reader, map, line, indent);
  }
}

/** The `key: value` or `key:` (a collection below) starting at `column` of `line`, the reader's current line. */
function readEntry(reader: Reader, map: Record<string, unknown>, line: string, column: number): void {
  const colon = line.indexOf(':', column);
  if (colon < 0) throw UNSUPPORTED;
  const key = line.slice(column, colon);
  // `in` also refuses keys of Object.prototype (`__proto__`, `constructor`), which the library sets differently.
  if (!SIMPLE_KEY.test(key) || plain(key) !== key || key in map) throw UNSUPPORTED;
  reader.at++;
  const inner = column + 2;
  if (colon === line.length - 1) {
    const next = reader.lines[reader.at];
    if (next === undefined || indentOf(next) !== inner) throw UNSUPPORTED;
    map[key] = next.charCodeAt(inner) === 45 /* - */ && next.charCodeAt(inner + 1) === 32 ? readSeq(reader, inner) : readMap(reader, inner);
  } else if (line.charCodeAt(colon + 1) === 32) {
    map[key] = scalar(reader, line.slice(colon + 2), inner);
  } else {
    throw UNSUPPORTED;
  }
}

/** A block sequence whose dashes are at column `indent` (its first line is one). */
function readSeq(reader: Reader, indent: number): unknown[] {
  const { lines } = reader;
  const seq: unknown[] = [];
  while (reader.at < lines.length) {
    const line = lines[reader.at];
    const at = indentOf(line);
    if (at < indent) break;
    if (at !== indent || line.charCodeAt(indent) !== 45 || line.charCodeAt(indent + 1) !== 32) throw UNSUPPORTED;
    const inner = indent + 2;
    const rest = line.slice(inner);
    if (startsMapEntry(rest)) {
      // A map item: its first key on the dash's line, the others aligned with it.
      const map: Record<string, unknown> = {};
      readEntry(reader, map, line, inner);
      readEntries(reader, map, inner);
      seq.push(map);
    } else {
      reader.at++;
      seq.push(scalar(reader, rest, inner));
    }
  }
  return seq;
}

/** Whether a sequence item is a map: a plain first character and `: ` or a final `:` (a plain scalar never has either). */
function startsMapEntry(item: string): boolean {
  const c = item.charCodeAt(0);
  if (c === 34 /* " */ || c === 39 /* ' */ || c === 124 /* | */ || c === 91 /* [ */ || c === 123 /* { */) return false;
  return item.includes(': ') || item.endsWith(':');
}

/** The scalar (or empty collection) `text` after `key: ` or `- `; a `|` block's lines start at column `block`. */
function scalar(reader: Reader, text: string, block: number): unknown {
  switch (text.charCodeAt(0)) {
    case 34: // "
      if (!DOUBLE_QUOTED.test(text)) throw UNSUPPORTED;
      return text.includes('\\') ? text.slice(1, -1).replace(/\\(["\\])/g, '$1') : text.slice(1, -1);
    case 39: // '
      if (!SINGLE_QUOTED.test(text)) throw UNSUPPORTED;
      return text.slice(1, -1);
    case 124: // |
      if (text !== '|') throw UNSUPPORTED;
      return literal(reader, block);
    case 91: // [
      if (text !== '[]') throw UNSUPPORTED;
      return [];
    case 123: // {
      if (text !== '{}') throw UNSUPPORTED;
      return {};
    default:
      if (text === '' || NOT_PLAIN.test(text)) throw UNSUPPORTED;
      return plain(text);
  }
}

/** A plain scalar as YAML 1.1 and 1.2 both resolve it: a string, `true`/`false`, an exact integer; anything else is the library's. */
function plain(text: string): unknown {
  if (!readsAsOther(text)) return text;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (INTEGER.test(text)) return Number(text);
  throw UNSUPPORTED;
}

/**
 * A `|` block (clip chomping: one final newline) whose lines start at column `block`: its first
 * line there and not blank, inner lines empty or at least that deep, no blank line at its end.
 */
function literal(reader: Reader, block: number): string {
  const { lines } = reader;
  const first = lines[reader.at];
  if (first === undefined || indentOf(first) !== block || first.length === block) throw UNSUPPORTED;
  let text = first.slice(block);
  reader.at++;
  while (reader.at < lines.length) {
    const line = lines[reader.at];
    if (line === '') {
      text += '\n';
    } else {
      const at = indentOf(line);
      if (at === line.length) throw UNSUPPORTED;
      if (at < block) break;
      text += `\n${line.slice(block)}`;
    }
    reader.at++;
  }
  if (lines[reader.at - 1] === '') throw UNSUPPORTED;
  return `${text}\n`;
}
