/**
 * Where a pod may run, as a pod spec says it: the fields the scheduler reads from `nodeSelector`,
 * `tolerations` and `affinity.nodeAffinity`. Each absent field is left out of the pod.
 */
export interface NodePlacement {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
  readonly nodeAffinity?: NodeAffinity;
}

export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

export interface NodeSelectorTermSpec {
  readonly matchExpressions: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

export interface NodeAffinity {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: { readonly nodeSelectorTerms: readonly NodeSelectorTermSpec[] };
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly { readonly weight: number; readonly preference: NodeSelectorTermSpec }[];
}

/** A deep copy of plain data (config values cdk8s must not share). */
export function copied<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The pod spec fields of a placement (deep copies: cdk8s must not share config objects). */
export function placementFields(p: NodePlacement): { nodeSelector?: Record<string, string>; tolerations?: Toleration[]; affinity?: { nodeAffinity: NodeAffinity } } {
  return {
    ...(p.nodeSelector ? { nodeSelector: { ...p.nodeSelector } } : {}),
    ...(p.tolerations ? { tolerations: copied([...p.tolerations]) } : {}),
    ...(p.nodeAffinity ? { affinity: { nodeAffinity: copied(p.nodeAffinity) } } : {}),
  };
}
