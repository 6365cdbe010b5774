/** Kubernetes quantities as plain numbers and back; just the units mastodon-cdk8s writes. */

const MEMORY_UNITS_MIB: Readonly<Record<string, number>> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 };

/** `500m` → 500, `1.5` → 1500. */
export function parseCpuMillis(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

/** `1.5Gi` → 1536, `512Mi` → 512. */
export function parseMemoryMiB(quantity: string): number {
  const match = /^([0-9.]+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (!match) throw new Error(`not a memory quantity: ${quantity}`);
  return Number(match[1]) * MEMORY_UNITS_MIB[match[2]];
}

/** 250 → `250m`; whole cores stay in millicores too, so diffs compare like with like. */
export function cpu(millis: number): string {
  return `${Math.ceil(millis)}m`;
}

/** 1536 → `1536Mi`; always MiB, rounded up. */
export function memory(mib: number): string {
  return `${Math.ceil(mib)}Mi`;
}
