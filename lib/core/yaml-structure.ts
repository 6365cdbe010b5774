import { Alias, isAlias, isMap, isScalar, isSeq, Node } from 'yaml';
import { redact, show } from './show';

/**
 * How deep values may nest. The deepest path of the configuration is about 6 levels; a limit keeps
 * pathological input (thousands of `[`) from exhausting the stack of the checks that walk the data.
 */
export const MAX_NESTING = 64;

/**
 * How many values aliases may add to a file. Anchors and aliases stay usable for repeated blocks,
 * while an alias bomb (aliases of aliases, each multiplying the size) is stopped at the alias that
 * crosses the limit instead of expanding into millions of values.
 */
export const MAX_ALIASED_VALUES = 10_000;

/**
 * How many entries one map or list may have. The longest lists of a real configuration (queues,
 * hosts, extraEnv) have tens of entries; a bound keeps the schema validation linear (ajv's
 * generated code copies the errors of every nested value into the parent's list).
 */
export const MAX_ENTRIES = 1000;

/** Keys and list indexes from the document root, as in lib/core/source.ts. */
type ValuePath = readonly (string | number)[];

/** A structural problem at an offset of the text, for the caller to turn into file:line:col. */
export interface StructureProblem {
  readonly offset: number;
  readonly path: ValuePath;
  readonly message: string;
}

/**
 * Checks a parsed document in one pass, in linear time, before it is turned into data: keys
 * defined twice in one map (the YAML library's own check compares each key with every earlier
 * one, which is quadratic in the size of a map), aliases to anchors that are not defined (an
 * unquoted `*.example.social` is such an alias) or that contain the alias itself, aliases that
 * expand the file beyond MAX_ALIASED_VALUES, maps and lists longer than MAX_ENTRIES and nesting
 * deeper than MAX_NESTING.
 */
export function structureProblems(root: Node | null, lineOf: (offset: number) => number): StructureProblem[] {
  const problems: StructureProblem[] = [];
  /** Anchor name → its latest definition so far; `size` is unset while the alias is inside it. */
  const anchors = new Map<string, { size?: number }>();
  let aliased = 0;
  let tooMany = false;

  const alias = (node: Alias, path: ValuePath): number => {
    const offset = node.range?.[0] ?? 0;
    const anchor = anchors.get(node.source);
    if (!anchor) {
      const name = redact(node.source);
      problems.push({ offset, path, message: `*${name} is read as a YAML alias, but no anchor &${name} is defined before it; a value starting with * must be quoted: "*${name}"` });
      return 1;
    }
    if (anchor.size === undefined) {
      const name = redact(node.source);
      problems.push({ offset, path, message: `the alias *${name} is inside the value its anchor &${name} names; a value cannot contain itself` });
      return 1;
    }
    aliased += anchor.size;
    if (aliased > MAX_ALIASED_VALUES && !tooMany) {
      tooMany = true;
      problems.push({ offset, path, message: `aliases expand this file by more than ${MAX_ALIASED_VALUES} values (an alias of aliases multiplies); allowed: at most ${MAX_ALIASED_VALUES} values added by aliases` });
    }
    return anchor.size;
  };

  /** Walks `node`, returning how many values it stands for once its aliases are expanded. */
  const walk = (node: unknown, path: ValuePath, depth: number): number => {
    if (isAlias(node)) return alias(node, path);
    if (!isMap(node) && !isSeq(node) && !isScalar(node)) return 0;
    const anchorName = node.anchor;
    const anchor: { size?: number } = {};
    if (anchorName) anchors.set(anchorName, anchor);
    let size = 1;
    if ((isMap(node) || isSeq(node)) && node.items.length > MAX_ENTRIES) {
      const extra = node.items[MAX_ENTRIES];
      const offset = ((isMap(node) ? (extra as { key?: Node }).key : extra) as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0;
      problems.push({ offset, path, message: `this ${isMap(node) ? 'map' : 'list'} has ${node.items.length.toLocaleString('en-US')} entries; allowed: at most ${MAX_ENTRIES.toLocaleString('en-US')}` });
    }
    if ((isMap(node) || isSeq(node)) && depth >= MAX_NESTING) {
      problems.push({ offset: node.range?.[0] ?? 0, path, message: `values are nested more than ${MAX_NESTING} levels deep here; allowed: at most ${MAX_NESTING} levels` });
    } else if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        size += walk(pair.key, path, depth + 1);
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined) {
          const first = seen.get(key);
          const offset = (pair.key as Node).range?.[0] ?? 0;
          if (first === undefined) seen.set(key, offset);
          else problems.push({ offset, path: [...path, key], message: `the key ${show(key)} is defined twice in this map (first at line ${lineOf(first)}); each key may appear once` });
        }
        size += walk(pair.value, key === undefined ? path : [...path, key], depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => { size += walk(item, [...path, i], depth + 1); });
    }
    anchor.size = size;
    return size;
  };

  walk(root, [], 0);
  return problems.sort((a, b) => a.offset - b.offset);
}
