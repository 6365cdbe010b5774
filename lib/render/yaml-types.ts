import { BoundedMemo, REMEMBERED_STRINGS } from '../core/bounded-memo';
import { nonStringTests } from '../core/yaml-tag-tests';

/**
 * The scalar types other than string that a plain (unquoted) string could be read as, by a YAML
 * 1.1 reader (cdk8s writes 1.1: `yes`, `on`, `0x1F`, `12:30`, timestamps…) or a YAML 1.2 reader
 * (core schema: `0o17`, `1e3`…; Go's yaml.v3, Argo CD's and kubectl's parsers). The tests come
 * from the `yaml` library's own schemas, so both writers agree with its readers.
 * The merge key `<<` is a type only as a key (library-yaml.ts quotes it there).
 */
export const OTHER_TYPES: readonly RegExp[] = [...nonStringTests('1.1'), ...nonStringTests('1.2')];

/** Whether a plain scalar would read back as another type, remembered per string (lib/core/bounded-memo.ts). */
const readsAsType = new BoundedMemo(REMEMBERED_STRINGS, (value) => OTHER_TYPES.some((test) => test.test(value)));

/**
 * What every one of those types starts with (`~`, null, the 1.1 and 1.2 booleans, yes/no/on/off,
 * digits and signs, `.inf`/`.nan`, and a YAML 1.1 float may start at its exponent: `e0`), read off
 * their tests (test/render/yaml-types.test.ts holds the list of tests, and checks this against
 * random strings): any other string reads back as a string.
 */
const MAY_READ_AS_OTHER = /^[~NnYyTtOoFfEe0-9+\-.]/;

export function readsAsOther(value: string): boolean {
  if (value !== '' && !MAY_READ_AS_OTHER.test(value)) return false;
  return readsAsType.get(value);
}
