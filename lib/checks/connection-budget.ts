import { breakdown, connectionBudget } from '../sizing/connection-budget';
import { InstanceModel } from '../model/types';
import { error, Finding, warning } from '../core/finding';
import { LoadedInstance } from '../config/types';

const REMEDY = 'fewer threads, workers, replicas or DB_POOL, another pool size or a bigger database plan (`npx mastodon-cdk8s plan` shows the table)';

/**
 * Checks that the PostgreSQL connections the instance can open at the most fit the PgBouncer pool
 * (an error above it, a warning above 90 %) and that the pool plus the direct connections of
 * migrations fit the cluster. Run by synth and by `plan`, after loading: a plan over budget still
 * loads, so that `plan` can show why.
 */
export function checkConnectionBudget(loaded: LoadedInstance, model: InstanceModel): Finding[] {
  const source = loaded.sources.instance;
  const pool = loaded.instance.database.pool;
  if (pool.size === undefined && pool.planMemoryGiB === undefined) {
    return [error(source.problem(['database', 'pool'], 'missing "size" or "planMemoryGiB": the connection budget needs the pool\'s size or the DigitalOcean plan\'s RAM in GiB'))];
  }
  const input = model.connections;
  const budget = connectionBudget(input);
  const limitPath = ['database', 'pool', pool.size !== undefined ? 'size' : 'planMemoryGiB'];
  const direct = input.uses.filter((u) => u.via === 'direct');
  const detail = `${breakdown(input.uses.filter((u) => u.via === 'pool'))}; not through the pool: ${breakdown(direct)}`;
  const opens = `the instance can open ${budget.pooled} PostgreSQL connections through the pool`;
  const limit = `${budget.poolLimit} it allows (${budget.poolLimitReason})`;

  const findings: Finding[] = [];
  if (budget.verdict === 'over') {
    findings.push(error(source.problem(limitPath, `${opens}, more than the ${limit}: ${detail}; allowed: at most ${budget.poolLimit}, by ${REMEDY}`)));
  } else if (budget.verdict === 'warning') {
    findings.push(warning(source.problem(limitPath, `${opens}, ${Math.round(budget.usage * 100)} % of the ${limit}, which leaves little room for the extra pods of a rollout: ${detail}`)));
  }
  if (budget.clusterOver) {
    findings.push(error(source.problem(['database', 'pool', 'size'], `a pool of ${pool.size} plus ${budget.direct} direct connections (${breakdown(direct)}) is more than the cluster gives (${budget.clusterLimitReason}); allowed: a pool of at most ${budget.clusterLimit! - budget.direct}`)));
  }
  return findings;
}
