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
