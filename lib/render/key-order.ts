/** Kubernetes' identifying fields, first at the top of every object. */
const HEAD_KEYS = ['apiVersion', 'kind', 'metadata'];

/**
 * The keys of a map in rendering order: sorted (by code unit, independent of locale), with
 * apiVersion, kind and metadata first at the top level.
 */
export function orderedKeys(map: object, top: boolean): string[] {
  const keys = Object.keys(map);
  // Most maps come sorted (cdk8s sorts every object's keys): checked in one pass.
  if (!isSorted(keys)) keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return top ? [...HEAD_KEYS.filter((k) => keys.includes(k)), ...keys.filter((k) => !HEAD_KEYS.includes(k))] : keys;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}
