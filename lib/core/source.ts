import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument, Pair, YAMLMap } from 'yaml';
import { FileError } from './file-error';
import { readInputFile } from './read';
import { ConfigError, ConfigProblem } from './errors';
import { redact } from './show';
import { collectionKeyErrors, yamlErrorMessage } from './yaml-errors';
import { structureProblems } from './yaml-structure';

export type ValuePath = readonly (string | number)[];

/** Renders a value path the way users write it: `pools.default.queues[2]` (a credential as a key masked). */
export function formatPath(path: ValuePath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? redact(p) : `.${redact(p)}`)).join('');
}

/**
 * Configuration data that can say where each of its values came from, so that schema and semantic
 * checks can point at `file:line:col`.
 */
export interface ConfigSource {
  /** The file named in messages about the document as a whole. */
  readonly file: string;
  /** The plain data. */
  readonly data: unknown;
  /** The files it was read from (the name shown in messages) with their text: all its data and positions follow from them. */
  readonly inputs: readonly SourceText[];
  /**
   * A problem at `path`. With `atKey`, points at the key of the last segment instead of its value
   * (for unknown fields). Falls back to the nearest existing parent for missing values.
   */
  problem(path: ValuePath, message: string, atKey?: boolean): ConfigProblem;
  /** Throws a ConfigError for a single problem. */
  fail(path: ValuePath, message: string): never;
}

/** One file read as configuration: its name in messages and its text. */
export interface SourceText {
  readonly file: string;
  readonly text: string;
}

/** A parsed YAML file that remembers where each value came from. */
export class YamlSource implements ConfigSource {
  /**
   * Reads and parses a file (lib/core/read.ts: a regular file of bounded size); a file that cannot
   * be read and YAML errors (syntax, duplicate keys, bad aliases) become a ConfigError.
   */
  public static read(file: string, displayName: string = file): YamlSource {
    let text: string;
    try {
      text = readInputFile(file, displayName);
    } catch (e) {
      if (e instanceof FileError) throw new ConfigError([{ file: displayName, line: 1, col: 1, path: '', message: e.reason }]);
      throw e;
    }
    return YamlSource.parse(text, displayName);
  }

  public static parse(text: string, displayName: string): YamlSource {
    const lineCounter = new LineCounter();
    // Duplicate keys are found by structureProblems, in linear time.
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, version: '1.2' });
    const at = (offset: number, path: string, message: string): ConfigProblem => {
      const pos = lineCounter.linePos(offset);
      return { file: displayName, line: pos.line, col: pos.col, path, message };
    };
    const errors = [...doc.errors, ...collectionKeyErrors(doc)];
    if (errors.length > 0) throw new ConfigError(errors.map((e) => at(e.pos[0], '', yamlErrorMessage(e, text))));
    const structure = structureProblems(doc.contents, (offset) => lineCounter.linePos(offset).line);
    if (structure.length > 0) throw new ConfigError(structure.map((p) => at(p.offset, formatPath(p.path), p.message)));
    // structureProblems bounds what aliases expand to, with positions; the library's own count
    // (an unpositioned ReferenceError) is not needed on top.
    return new YamlSource(displayName, doc.toJS({ maxAliasCount: -1 }) ?? {}, doc.contents, lineCounter, text);
  }

  private constructor(
    /** The file name shown in messages (relative to where the user runs the command). */
    public readonly file: string,
    /** The plain data. */
    public readonly data: unknown,
    private readonly root: Node | null,
    private readonly lineCounter: LineCounter,
    private readonly text: string,
  ) {}

  public get inputs(): readonly SourceText[] {
    return [{ file: this.file, text: this.text }];
  }

  public problem(path: ValuePath, message: string, atKey = false): ConfigProblem {
    const offset = this.offsetOf(path, atKey);
    const pos = this.lineCounter.linePos(offset);
    return { file: this.file, line: pos.line, col: pos.col, path: formatPath(path), message };
  }

  public fail(path: ValuePath, message: string): never {
    throw new ConfigError([this.problem(path, message)]);
  }

  private offsetOf(path: ValuePath, atKey: boolean): number {
    let node: unknown = this.root;
    let offset = rangeStart(node) ?? 0;
    for (const [i, segment] of path.entries()) {
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = pairsOf(node).get(String(segment));
        if (!pair) return offset;
        if (last && atKey) return rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
      } else {
        return offset;
      }
      offset = rangeStart(node) ?? offset;
    }
    return offset;
  }
}

/** Each map's pairs by key (the first of duplicates), built once: a lookup per problem stays constant-time. */
const pairsByKey = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairsOf(map: YAMLMap): Map<string, Pair> {
  let pairs = pairsByKey.get(map);
  if (!pairs) {
    pairs = new Map();
    for (const pair of map.items) {
      if (isScalar(pair.key) && !pairs.has(String(pair.key.value))) pairs.set(String(pair.key.value), pair);
    }
    pairsByKey.set(map, pairs);
  }
  return pairs;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
