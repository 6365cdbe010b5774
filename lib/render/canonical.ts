import { fastYaml } from './fast-yaml';
import { orderedKeys } from './key-order';
import { libraryYaml } from './library-yaml';

/**
 * Sorts keys at every level (apiVersion, kind and metadata first at the top), so the output does
 * not depend on construction order or on cdk8s' CDK8S_DISABLE_SORT environment variable.
 */
export function canonical(value: unknown, top = true): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, false));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(orderedKeys(value, top).map((k) => [k, canonical((value as Record<string, unknown>)[k], false)]));
}

/**
 * One Kubernetes object as YAML, in cdk8s' format (YAML 1.1 quoting, no line folding) but read
 * back alike by YAML 1.1 and 1.2 readers, keys in canonical order: through the fast emitter, or
 * the library for what that does not handle.
 */
export function toYaml(object: unknown): string {
  return fastYaml(object) ?? libraryYaml(canonical(object));
}

/**
 * A rendered file: one object, opened by a document marker, so that files read one after another
 * stay a YAML stream of separate documents. `npx cdk8s synth --stdout` pipes every `.yaml` file of
 * the output folder to stdout, each after the other with nothing between them (cdk8s-cli 2.207.60
 * lib/cli/cmds/synth.js:113-116, lib/util.js:224-236).
 */
export function yamlFile(object: unknown): string {
  return `---\n${toYaml(object)}`;
}
