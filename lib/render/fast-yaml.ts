import { BoundedMemo, REMEMBERED_STRINGS } from '../core/bounded-memo';
import { orderedKeys } from './key-order';
import { readsAsOther } from '../core/yaml-types';

/**
 * A fast YAML emitter for what mastodon-cdk8s renders: maps, lists, strings, integers and booleans,
 * keys in canonical order (see ./key-order.ts), written exactly as ./library-yaml.ts (the `yaml`
 * library as cdk8s' `Yaml.stringify` calls it: YAML 1.1, no line folding) writes the canonical
 * object, at a fraction of the cost: that library builds a node tree per document, which made it
 * the largest part of rendering a hundred instances.
 *
 * It applies the library's own rules (stringify/stringifyString.js of yaml 2.x) for when a string
 * may stay plain, gets quoted or becomes a `|` block, and asks the library's YAML 1.1 and 1.2 tags
 * which strings would read back as something else (../core/yaml-types.ts; 1.2 is where it and
 * library-yaml.ts deliberately differ from cdk8s, which leaves `0o17` plain). Anything outside
 * that subset (null, floats, lists of lists, unusual keys, control characters, odd block strings)
 * returns undefined, and the caller uses the library instead. test/render/fast-yaml.test.ts holds
 * it byte-equal to library-yaml.ts, and to cdk8s wherever cdk8s' output reads back right.
 */
export function fastYaml(value: unknown): string | undefined {
  if (!isMap(value) || Object.keys(value).length === 0) return undefined;
  try {
    return mapLines(value, '', true);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

class Unsupported extends Error {}

type PlainMap = Readonly<Record<string, unknown>>;

const STEP = '  ';
/** Strings that cannot be plain: indicators at the start, `: ` and ` #` inside, space or `:` at the end. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** A key that is a simple name (field names, label keys); others go to the library. */
const SIMPLE_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]{0,252}$/;
function isMap(value: unknown): value is PlainMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCollection(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : isMap(value) && hasOwnKey(value);
}

/** Whether a map has a key (`Object.keys(map).length > 0`, without the array). */
function hasOwnKey(map: PlainMap): boolean {
  for (const key in map) if (Object.hasOwn(map, key)) return true;
  return false;
}

/** Whether a key is a simple name that stays plain, remembered per key (lib/core/bounded-memo.ts). */
const simpleKey = new BoundedMemo(REMEMBERED_STRINGS, (key) => SIMPLE_KEY.test(key) && !readsAsOther(key));

/**
 * The lines of a map whose keys start at `indent`; the first starts after `first` (the indent, or
 * a list's dash for a map that is a list item).
 */
function mapLines(map: PlainMap, indent: string, top = false, first = indent): string {
  let out = '';
  let lead = first;
  for (const key of orderedKeys(map, top)) {
    if (!simpleKey.get(key)) throw new Unsupported();
    out += `${lead}${key}:${afterKey(map[key], indent + STEP)}`;
    lead = indent;
  }
  return out;
}

/** The lines of a list whose dashes start at `indent`. */
function seqLines(seq: readonly unknown[], indent: string): string {
  let out = '';
  const inner = indent + STEP;
  for (const item of seq) {
    if (isMap(item) && isCollection(item)) {
      // A map item starts on the dash's line; its other keys align with the first.
      out += mapLines(item, inner, false, `${indent}- `);
    } else if (isCollection(item)) {
      throw new Unsupported();
    } else {
      out += `${indent}- ${scalar(item, inner)}\n`;
    }
  }
  return out;
}

/** What follows `key:` — a nested collection on the next lines, or ` value`. */
function afterKey(value: unknown, inner: string): string {
  if (Array.isArray(value) && value.length > 0) return `\n${seqLines(value, inner)}`;
  if (isMap(value) && isCollection(value)) return `\n${mapLines(value, inner)}`;
  return ` ${scalar(value, inner)}\n`;
}

/** One scalar (or empty collection); `indent` is where a block string's lines start. */
function scalar(value: unknown, indent: string): string {
  if (typeof value === 'string') return stringScalar(value, indent);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  if (Array.isArray(value)) return '[]';
  if (isMap(value)) return '{}';
  throw new Unsupported();
}

function stringScalar(value: string, indent: string): string {
  if (CONTROL.test(value) || DOCUMENT_MARKER.test(value)) throw new Unsupported();
  if (value.includes('\n')) return blockLiteral(value, indent);
  if (NOT_PLAIN.test(value) || readsAsOther(value)) return quoted(value);
  return value;
}

/** Double quotes unless the string holds `"` and no `'`; for one line, JSON's escaping is YAML's. */
function quoted(value: string): string {
  if (value.includes('"') && !value.includes("'")) return `'${value}'`;
  return JSON.stringify(value);
}

/**
 * A `|` block for a multi-line string ending in exactly one newline (clip chomping) and starting
 * with neither space nor newline (no indentation indicator); the library has more cases.
 */
function blockLiteral(value: string, indent: string): string {
  if (!/[^\n\t ]\n$/.test(value) || /^[\n ]/.test(value) || value.includes('\t')) throw new Unsupported();
  return `|\n${indent}${value.slice(0, -1).replace(/\n+/g, `$&${indent}`)}`;
}
