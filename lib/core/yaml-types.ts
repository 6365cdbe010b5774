import { Document } from 'yaml';
import { BoundedMemo, REMEMBERED_STRINGS } from './bounded-memo';

/**
 * The scalar types other than string that a plain (unquoted) string could be read as, by a YAML
 * 1.1 reader (cdk8s writes 1.1: `yes`, `on`, `0x1F`, `12:30`, timestamps…) or a YAML 1.2 reader
 * (core schema: `0o17`, `1e3`…; Go's yaml.v3, Argo CD's and kubectl's parsers). The tests come
 * from the `yaml` library's own schemas (with 1.1 its compatibility tags too), so that our writers
 * (lib/render/fast-yaml.ts, library-yaml.ts) and our fast reader (./read-yaml.ts) agree with its
 * readers. The merge key `<<` is a type only as a key (library-yaml.ts quotes it there).
 */
export const OTHER_TYPES: readonly RegExp[] = (['1.1', '1.2'] as const).flatMap((version) => {
  const { tags, compat } = new Document(null, { version }).schema;
  return [...tags, ...(compat ?? [])]
    .filter((tag) => tag.default === true && tag.tag !== 'tag:yaml.org,2002:str' && tag.test)
    .map((tag) => tag.test as RegExp);
});

/** Whether a plain scalar would read back as another type, remembered per string (./bounded-memo.ts). */
const readsAsType = new BoundedMemo(REMEMBERED_STRINGS, (value) => OTHER_TYPES.some((test) => test.test(value)));

/**
 * What every one of those types starts with (`~`, null, the 1.1 and 1.2 booleans, yes/no/on/off,
 * digits and signs, `.inf`/`.nan`, and a YAML 1.1 float may start at its exponent: `e0`), read off
 * their tests (test/core/yaml-types.test.ts holds the list of tests, and checks this against
 * random strings and strings each test matches): any other string reads back as a string.
 */
const MAY_READ_AS_OTHER = /^[~NnYyTtOoFfEe0-9+\-.]/;

/** Whether a YAML 1.1 or 1.2 reader reads the plain scalar `value` as something other than a string. */
export function readsAsOther(value: string): boolean {
  if (value !== '' && !MAY_READ_AS_OTHER.test(value)) return false;
  return readsAsType.get(value);
}
