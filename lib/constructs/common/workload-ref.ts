/** What constructs around a workload (autoscalers, disruption budgets, policies) need of it. */
export interface WorkloadRef {
  /** The Deployment's name. */
  readonly name: string;
  /** The metadata labels of objects that belong to it (PDB, HPA), without the version. */
  readonly labels: Readonly<Record<string, string>>;
  /** The labels that select its pods. */
  readonly selector: Readonly<Record<string, string>>;
}
