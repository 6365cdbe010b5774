import { nonStringTests } from '../core/yaml-tag-tests';

/**
 * The scalar types other than string that a plain (unquoted) string could be read as, by a YAML
 * 1.1 reader (cdk8s writes 1.1: `yes`, `on`, `0x1F`, `12:30`, timestamps…) or a YAML 1.2 reader
 * (core schema: `0o17`, `1e3`…; Go's yaml.v3, Argo CD's and kubectl's parsers). The tests come
 * from the `yaml` library's own schemas, so both writers agree with its readers.
 * The merge key `<<` is a type only as a key (library-yaml.ts quotes it there).
 */
export const OTHER_TYPES: readonly RegExp[] = [...nonStringTests('1.1'), ...nonStringTests('1.2')];

/**
 * Whether a plain scalar would read back as another type. Remembered per string: field names,
 * label keys and most values repeat across objects and instances; the strings of each instance's
 * own (hosts, names) do not, so the memory is emptied when full rather than growing with a
 * thousand instances.
 */
const cache = new Map<string, boolean>();
const CACHED_STRINGS = 20_000;

/**
 * What every one of those types starts with (`~`, null, the 1.1 and 1.2 booleans, yes/no/on/off,
 * digits and signs, `.inf`/`.nan`, and a YAML 1.1 float may start at its exponent: `e0`), read off
 * their tests (test/render/yaml-types.test.ts holds the list of tests, and checks this against
 * random strings): any other string reads back as a string.
 */
const MAY_READ_AS_OTHER = /^[~NnYyTtOoFfEe0-9+\-.]/;

export function readsAsOther(value: string): boolean {
  if (value !== '' && !MAY_READ_AS_OTHER.test(value)) return false;
  let result = cache.get(value);
  if (result === undefined) {
    result = OTHER_TYPES.some((test) => test.test(value));
    if (cache.size >= CACHED_STRINGS) cache.clear();
    cache.set(value, result);
  }
  return result;
}
