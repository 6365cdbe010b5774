/**
 * The PostgreSQL connection budget of an instance: what its processes can open at the most
 * against what the PgBouncer pool and the database cluster allow. Pure; see
 * `buildModel()` in lib/model/build.ts for how an instance maps to the input (every workload's and job's `db`).
 */

/**
 * DigitalOcean managed PostgreSQL: "Clusters provide 25 connections per 1 GiB of RAM. 3
 * connections per cluster are reserved for maintenance, and all remaining connections can be
 * allocated to connection pools" (397 for a 16 GiB plan).
 * @see https://docs.digitalocean.com/products/databases/postgresql/how-to/manage-connection-pools/
 */
export const DO_CONNECTIONS_PER_GIB = 25;
export const DO_RESERVED_CONNECTIONS = 3;

/** Above this share of its limit a plan is reported as a warning: a deploy's surge pods need room. */
export const BUDGET_WARN_RATIO = 0.9;

/** The connections one process type or job can open at the most. */
export interface ConnectionUse {
  readonly name: string;
  readonly connections: number;
  /** How the number comes about, e.g. `2 pods × 2 workers × 8 threads`. */
  readonly formula: string;
  /**
   * `pool`: through PgBouncer, counted against the pool. `direct`: bypassing it (migrations),
   * counted against the cluster only.
   */
  readonly via: 'pool' | 'direct';
}

export interface ConnectionBudgetInput {
  readonly uses: readonly ConnectionUse[];
  /** The PgBouncer pool's size (the server connections it opens). At least one of the two limits is given. */
  readonly poolSize?: number;
  /** The DigitalOcean plan's RAM, from which the cluster's limit follows. */
  readonly planMemoryGiB?: number;
}

export interface ConnectionBudget {
  /** Σ of the pooled uses. */
  readonly pooled: number;
  /** Σ of the direct uses. */
  readonly direct: number;
  /** Connections the cluster gives clients (25 × GiB − 3), when the plan is known. */
  readonly clusterLimit?: number;
  /**
   * What pooled clients may open: the pool size, or without one the cluster limit less the
   * direct connections (a pool sized to leave room for migrations).
   */
  readonly poolLimit: number;
  /** Where the pool limit comes from: `the pool's size` or `16 GiB plan: 25 × 16 − 3 = 397, less 2 direct`. */
  readonly poolLimitReason: string;
  /** Where the cluster limit comes from: `16 GiB plan: 25 × 16 − 3 = 397`. */
  readonly clusterLimitReason?: string;
  /** `pooled / poolLimit`. */
  readonly usage: number;
  /** `ok`, `warning` above BUDGET_WARN_RATIO, `over` above the pool limit. */
  readonly verdict: 'ok' | 'warning' | 'over';
  /** The pool's server connections plus the direct ones exceed the cluster limit. */
  readonly clusterOver: boolean;
}

/** 25 × GiB − 3: what a DigitalOcean PostgreSQL cluster of that RAM gives its clients. */
export function doClusterConnections(planMemoryGiB: number): number {
  return DO_CONNECTIONS_PER_GIB * planMemoryGiB - DO_RESERVED_CONNECTIONS;
}

export function connectionBudget(input: ConnectionBudgetInput): ConnectionBudget {
  const sum = (via: ConnectionUse['via']) => input.uses.filter((u) => u.via === via).reduce((n, u) => n + u.connections, 0);
  const pooled = sum('pool');
  const direct = sum('direct');
  const gib = input.planMemoryGiB;
  const clusterLimit = gib === undefined ? undefined : doClusterConnections(gib);
  const clusterLimitReason = gib === undefined ? undefined : `${gib} GiB plan: ${DO_CONNECTIONS_PER_GIB} × ${gib} − ${DO_RESERVED_CONNECTIONS} = ${clusterLimit}`;
  const poolLimit = input.poolSize ?? (clusterLimit === undefined ? undefined : clusterLimit - direct);
  if (poolLimit === undefined) throw new Error('connectionBudget needs poolSize or planMemoryGiB');
  const poolLimitReason = input.poolSize !== undefined ? "the pool's size" : `${clusterLimitReason}, less ${direct} direct`;
  const usage = poolLimit > 0 ? pooled / poolLimit : Infinity;
  const verdict = pooled > poolLimit ? 'over' : usage > BUDGET_WARN_RATIO ? 'warning' : 'ok';
  const clusterOver = clusterLimit !== undefined && input.poolSize !== undefined && input.poolSize + direct > clusterLimit;
  return { pooled, direct, clusterLimit, clusterLimitReason, poolLimit, poolLimitReason, usage, verdict, clusterOver };
}

/** `web 2 pods × 2 workers × 8 threads = 32, …` for messages. */
export function breakdown(uses: readonly ConnectionUse[]): string {
  return uses.map((u) => `${u.name} ${u.formula} = ${u.connections}`).join(', ');
}
