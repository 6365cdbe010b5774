import { Document } from 'yaml';

/**
 * The `yaml` library's tests for the plain scalars a YAML `version` reads as something other than
 * a string (null, booleans, numbers; with 1.1 its compatibility tags too), taken from the
 * library's own schema so that our writer (lib/render/yaml-types.ts) and our fast reader
 * (lib/core/read-yaml.ts) agree with its readers. test/render/yaml-types.test.ts pins them.
 */
export function nonStringTests(version: '1.1' | '1.2'): RegExp[] {
  const { tags, compat } = new Document(null, { version }).schema;
  return [...tags, ...(compat ?? [])]
    .filter((tag) => tag.default === true && tag.tag !== 'tag:yaml.org,2002:str' && tag.test)
    .map((tag) => tag.test as RegExp);
}
