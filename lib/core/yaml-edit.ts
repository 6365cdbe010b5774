import { isScalar, parseDocument, Scalar } from 'yaml';
import { ValuePath } from './source';

/**
 * The text of a YAML file with one plain string scalar changed, and nothing else: the yaml
 * library's Document locates the scalar (its `range`), and the new value is spliced into the
 * original text in the same quoting style. Printing the Document back (`String(doc)`) would
 * rewrite flow maps, comments and quoting elsewhere in the file.
 *
 * Returns undefined when nothing is at `path`. Throws a YamlEditError when the scalar is not one
 * this can replace safely (a block scalar, an alias, a value that would need other quoting); the
 * result is parsed again and must differ from the original in that value only.
 */
export function replaceScalar(text: string, path: ValuePath, value: string): string | undefined {
  const doc = parseDocument(text, { version: '1.2' });
  const node = doc.getIn(path, true);
  if (node === undefined) return undefined;
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) throw new YamlEditError(`${path.join('.')} is not a string scalar`);
  const quote = QUOTES[node.type ?? Scalar.PLAIN];
  if (quote === undefined) throw new YamlEditError(`${path.join('.')} is written as a ${node.type} scalar; write it on one line`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) throw new YamlEditError(`${JSON.stringify(value)} would need quoting rules this edit does not apply`);
  const [start, end] = node.range;
  const edited = `${text.slice(0, start)}${quote}${value}${quote}${text.slice(end)}`;

  const before = doc.toJS() as unknown;
  const after = parseDocument(edited, { version: '1.2' }).toJS() as unknown;
  if (JSON.stringify(setIn(before, path, value)) !== JSON.stringify(after)) throw new YamlEditError(`replacing ${path.join('.')} changed more than that value`);
  return edited;
}

/** Why a value could not be replaced in place. */
export class YamlEditError extends Error {}

const QUOTES: Readonly<Record<string, string>> = {
  [Scalar.PLAIN]: '',
  [Scalar.QUOTE_DOUBLE]: '"',
  [Scalar.QUOTE_SINGLE]: "'",
};

function setIn(data: unknown, path: ValuePath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(data)) return data.map((item, i) => (i === head ? setIn(item, rest, value) : item));
  const map = data as Record<string, unknown>;
  return { ...map, [head]: setIn(map[String(head)], rest, value) };
}
