import { Yaml } from 'cdk8s';

const HEAD_KEYS = ['apiVersion', 'kind', 'metadata'];

/**
 * Sorts keys at every level (apiVersion, kind and metadata first at the top), so the output does
 * not depend on construction order or on cdk8s' CDK8S_DISABLE_SORT environment variable.
 */
export function canonical(value: unknown, top = true): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, false));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ordered = top ? [...HEAD_KEYS.filter((k) => keys.includes(k)), ...keys.filter((k) => !HEAD_KEYS.includes(k))] : keys;
  return Object.fromEntries(ordered.map((k) => [k, canonical((value as Record<string, unknown>)[k], false)]));
}

/** One Kubernetes object as YAML, in cdk8s' format (YAML 1.1 quoting, no line folding). */
export function toYaml(object: unknown): string {
  return Yaml.stringify(canonical(object));
}
