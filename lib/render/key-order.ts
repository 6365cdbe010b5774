/** Kubernetes' identifying fields, first at the top of every object. */
const HEAD_KEYS = ['apiVersion', 'kind', 'metadata'];

/**
 * The keys of a map in rendering order: sorted (by code unit, independent of locale), with
 * apiVersion, kind and metadata first at the top level.
 */
export function orderedKeys(map: object, top: boolean): string[] {
  const keys = Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return top ? [...HEAD_KEYS.filter((k) => keys.includes(k)), ...keys.filter((k) => !HEAD_KEYS.includes(k))] : keys;
}
