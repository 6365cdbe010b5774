import { isDeepStrictEqual } from 'node:util';
import { Document, isScalar, parse, Scalar, SchemaOptions, visit } from 'yaml';
import { readsAsOther } from '../core/yaml-types';

/** cdk8s' `Yaml.stringify` options (cdk8s/lib/yaml.js): YAML 1.1, no line folding. */
const CDK8S_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

/**
 * The `yaml` library's writer as cdk8s calls it, with three deliberate differences where cdk8s'
 * output would read back as something else (test/render/fast-yaml.test.ts, test/fuzz/yaml-writer.test.ts):
 * - strings that a YAML 1.2 reader takes for a number, bool or null (`0o17`, `0o777`) are
 *   quoted: cdk8s writes YAML 1.1, which does not know them, but Go's yaml.v3 and other 1.2
 *   readers do;
 * - the key `<<` is quoted: plain, a YAML 1.1 reader takes it for a merge key;
 * - when the result still does not read back equal under YAML 1.1 and 1.2 (the library writes
 *   `" \n"` as a `|+` block that reads back as `"\n"`), every string is double-quoted.
 * `npx cdk8s synth` runs this project's CLI (cdk8s.yaml), so it writes the same bytes.
 */
export function libraryYaml(value: unknown): string {
  const text = write(value, (s, isKey) => readsAsOther(s) || (isKey && s === '<<'));
  if (readsBackEqual(text, value)) return text;
  const quoted = write(value, () => true);
  // Never expected (the property tests look for it); the text is not shown: it may hold any value.
  if (!readsBackEqual(quoted, value)) throw new Error('YAML writer: a value does not read back equal even double-quoted');
  return quoted;
}

const withoutMerge = (tags: Tags) => tags.filter((t) => typeof t === 'string' ? t !== 'merge' : t.tag !== 'tag:yaml.org,2002:merge');
type Tags = Parameters<Extract<NonNullable<SchemaOptions['customTags']>, (...args: never[]) => unknown>>[0];

function write(value: unknown, quote: (s: string, isKey: boolean) => boolean): string {
  // Without the merge tag, which identifies any `<<` string and writes it plain (yaml@2.9.1
  // dist/schema/yaml-1.1/merge.js:14-23), so that a quoted key `"<<"` can be written.
  const doc = new Document(value, { ...CDK8S_OPTIONS, customTags: withoutMerge });
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && quote(pair.key.value, true)) pair.key.type = Scalar.QUOTE_DOUBLE;
    },
    Scalar(key, node) {
      if (key !== 'key' && typeof node.value === 'string' && quote(node.value, false)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString(CDK8S_OPTIONS);
}

/** Whether both a YAML 1.1 and a YAML 1.2 reader read `text` back as `value`. */
export function readsBackEqual(text: string, value: unknown): boolean {
  const expected = JSON.parse(JSON.stringify(value) ?? 'null');
  return (['1.1', '1.2'] as const).every((version) => {
    try {
      return isDeepStrictEqual(parse(text, { version, merge: version === '1.1' }), expected);
    } catch {
      return false;
    }
  });
}
