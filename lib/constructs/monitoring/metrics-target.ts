/** A workload whose pods serve Prometheus metrics on one container port. */
export interface MetricsTarget {
  /** The workload's name (`web`, `sidekiq-default`, `dragonfly-cache`): the PodMonitor's and the policy's. */
  readonly name: string;
  /** The labels its pods really carry and are selected by. */
  readonly selector: Readonly<Record<string, string>>;
  /** The container port serving `/metrics`: its name (PodMonitor) and number (NetworkPolicy). */
  readonly port: { readonly name: string; readonly number: number };
}
