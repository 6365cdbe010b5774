/** A web or streaming HPA, every value resolved. */
export interface HpaSettings {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCpuUtilization: number;
}

/** How many pods a web or streaming Deployment runs, fixed or autoscaled. */
export interface ReplicaPlan {
  /** The Deployment's `replicas`; undefined when an autoscaler owns the count (so Argo CD and the HPA don't fight). */
  readonly replicas?: number;
  readonly minReplicas: number;
  /** The most pods that can run at once: what a connection budget must count. */
  readonly maxReplicas: number;
  /** @default none: a fixed count */
  readonly autoscaling?: HpaSettings;
}
