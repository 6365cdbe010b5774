import { checkConnectionBudget } from '../checks/connection-budget';
import { ConfigProblem } from '../core/errors';
import { LoadedInstance } from '../config/types';
import { ConnectionUse } from '../sizing/connection-budget';
import { buildModel } from '../model/build';
import { InstancePlan, instancePlan } from '../model/plan';
import { cpu, memory } from '../core/quantity';

const NONE = '–';
const HEADER = ['process', 'pods', 'processes', 'threads', 'DB connections', 'CPU request', 'CPU limit', 'memory request', 'memory limit'];

/** A pipe table with padded columns: readable in a terminal, rendered as a table in a PR. */
function table(rows: readonly (readonly (string | number)[])[]): string[] {
  const cells = [HEADER, ...rows].map((row) => row.map(String));
  const widths = HEADER.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const line = (row: readonly string[]) => `| ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w - 1)}` : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)];
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

function uses(list: readonly ConnectionUse[]): string {
  return list.map((u) => `${u.name} ${u.connections} (${u.formula})`).join(', ');
}

/** The plan of one instance as Markdown: a table per process type, totals, and the connection budget. */
export function planMarkdown(plan: InstancePlan): string {
  const t = plan.totals;
  const direct = plan.connections.filter((u) => u.via === 'direct');
  // Jobs (migrations, search deploy, backups): no pods to count, only their connections.
  const jobs = plan.connections.filter((u) => !plan.workloads.some((w) => w.name === u.name));
  const rows = [
    ...plan.workloads.flatMap((w) => [
      [w.name, w.pods, w.processes, w.threads ?? NONE, w.dbConnections,
        w.resources.requests.cpu, w.resources.limits.cpu ?? NONE, w.resources.requests.memory, w.resources.limits.memory],
      // A sidecar runs in each of the workload's pods.
      ...(w.sidecars ?? []).map((c) => [`${w.name}: ${c.name}`, w.pods, NONE, NONE, 0,
        c.resources.requests.cpu, c.resources.limits.cpu ?? NONE, c.resources.requests.memory, c.resources.limits.memory]),
    ]),
    ...jobs.map((u) => [u.name, NONE, NONE, NONE, u.via === 'direct' ? `${u.connections} direct` : u.connections, NONE, NONE, NONE, NONE]),
    ['**total**', t.pods, t.processes, t.threads, direct.length > 0 ? `${t.dbConnections} + ${direct.reduce((n, u) => n + u.connections, 0)} direct` : t.dbConnections,
      cpu(t.cpuRequestMillis), t.cpuLimitMillis === undefined ? NONE : cpu(t.cpuLimitMillis), memory(t.memoryRequestMiB), memory(t.memoryLimitMiB)],
  ];
  const b = plan.budget;
  const pooled = `${t.dbConnections} PostgreSQL connections through the pool`;
  const budget = !b
    ? `${pooled}; give database.pool.size or planMemoryGiB to check them against a limit.`
    : `${pooled}, ${percent(b.usage)} of the ${b.poolLimit} it allows (${b.poolLimitReason}): ${b.pooled <= b.poolLimit ? `${b.poolLimit - b.pooled} to spare` : `${b.pooled - b.poolLimit} too many`}.`;
  return [
    `#### \`${plan.instance}\` (Mastodon ${plan.version})`,
    '',
    ...table(rows),
    '',
    'Resources are per container of a pod (a sidecar has its own row); the total sums all pods (threads: of all processes). Pods are counted at their maximum.',
    '',
    `- ${budget}`,
    ...(direct.length > 0 ? [`- Direct connections bypass the pool and count against the cluster only: ${uses(direct)}.`] : []),
    ...(b?.clusterLimitReason ? [`- Cluster: ${b.clusterLimitReason} connections for the pool (${b.poolLimit}) and direct clients (${b.direct})${b.clusterOver ? ': too many' : ''}.`] : []),
    '',
  ].join('\n');
}

export interface PlanReport {
  /** What `plan` prints on stdout. */
  readonly output: string;
  /** Load and budget warnings. */
  readonly warnings: readonly ConfigProblem[];
  /** Budget errors: `plan` shows the table and then fails, as synth would. */
  readonly errors: readonly ConfigProblem[];
}

/** The plan of every instance, as Markdown or JSON, with the budget's verdicts. */
export function planReport(instances: readonly LoadedInstance[], json: boolean): PlanReport {
  const models = instances.map((loaded) => buildModel(loaded));
  const plans = models.map(instancePlan);
  const findings = instances.flatMap((loaded, i) => checkConnectionBudget(loaded, models[i]));
  return {
    output: json ? `${JSON.stringify({ instances: plans }, null, 2)}\n` : plans.map(planMarkdown).join('\n'),
    warnings: [...instances.flatMap((i) => i.warnings), ...findings.filter((f) => f.severity === 'warning').map((f) => f.problem)],
    errors: findings.filter((f) => f.severity === 'error').map((f) => f.problem),
  };
}
