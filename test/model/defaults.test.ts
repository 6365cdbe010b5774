import { renderInstance } from '../../lib/app/render';
import { loadInstance } from '../../lib/app/load';
import { LoadedInstance } from '../../lib/config/types';
import { buildModel } from '../../lib/model/build';
import { DEFAULTS, Defaults } from '../../lib/model/defaults';
import { instancePlan } from '../../lib/model/plan';
import { workloadPods } from '../../lib/core/workload-pods';
import { instanceObjects } from '../../lib/app/render';
import { webResources } from '../../lib/sizing/resources';
import { exampleVariant, loadExample, objectAt, replaceOnce } from '../helpers';

// Every default is resolved once, in buildModel, from the table it is given: changing one moves
// the render, `plan` and the connection budget together (issue 13's live bug was a construct
// resolving web.workers' default on its own, while plan and the budget counted the old number).

function everything(loaded: LoadedInstance, defaults: Defaults) {
  const files = renderInstance(loaded, defaults).files;
  const at = (file: string) => objectAt(files, `${loaded.id}/${file}`);
  const model = buildModel(loaded, defaults);
  return { at, plan: instancePlan(model, workloadPods(instanceObjects(model))), budget: new Map(model.connections.uses.map((u) => [u.name, u.connections])) };
}

const env = (o: any, name: string) => o.spec.template.spec.containers[0].env.find((e: any) => e.name === name)?.value;

test('GIVEN an instance without web.workers WHEN the default of web workers becomes 3 THEN WEB_CONCURRENCY, web resources, the plan row and the budget all follow', () => {
  const loaded = loadInstance(exampleVariant({ instance: (t) => replaceOnce(t, /  workers: 2 # WEB_CONCURRENCY\n/, '') }));
  const before = everything(loaded, DEFAULTS);
  const after = everything(loaded, { ...DEFAULTS, web: { ...DEFAULTS.web, workers: 3 } });
  expect(env(before.at('mastodon/Deployment.web.yaml'), 'WEB_CONCURRENCY')).toBe('2');

  const web = after.at('mastodon/Deployment.web.yaml');
  expect(env(web, 'WEB_CONCURRENCY')).toBe('3');
  expect(web.spec.template.spec.containers[0].resources).toEqual(webResources(3, 8));
  const row = after.plan.workloads.find((w) => w.name === 'web')!;
  expect([row.processes, row.dbConnections]).toEqual([6, 48]);
  expect(row.containers.find((c) => c.name === 'mastodon')!.declared).toEqual(webResources(3, 8));
  expect(after.budget.get('web')).toBe(2 * 3 * 8);
  expect(after.plan.totals.dbConnections - before.plan.totals.dbConnections).toBe(48 - 32);
});

test('GIVEN the example WHEN a pool\'s threads change THEN -c, DB_POOL, its resources, its plan row and the budget all follow', () => {
  const loaded: LoadedInstance = loadExample();
  const changed = loadInstance(exampleVariant({ queuePlan: (t) => replaceOnce(t, /    threads: 8 # sidekiq -c.*\n/, '    threads: 12\n') }));
  const before = everything(loaded, DEFAULTS);
  const after = everything(changed, DEFAULTS);
  const pool = after.at('mastodon/Deployment.sidekiq-default.yaml');
  const args: string[] = pool.spec.template.spec.containers[0].args;
  expect(args[args.indexOf('-c') + 1]).toBe('12');
  expect(env(pool, 'DB_POOL')).toBe('12');
  expect(pool.spec.template.spec.containers[0].resources).not.toEqual(before.at('mastodon/Deployment.sidekiq-default.yaml').spec.template.spec.containers[0].resources);
  const row = after.plan.workloads.find((w) => w.name === 'sidekiq-default')!;
  expect([row.threads, row.dbConnections, row.containers.find((c) => c.role === 'container')!.declared]).toEqual([4 * 12, 4 * 12, pool.spec.template.spec.containers[0].resources]);
  expect([before.budget.get('sidekiq-default'), after.budget.get('sidekiq-default')]).toEqual([4 * 8, 4 * 12]);
});

test('GIVEN the example (search without deploy settings) WHEN the default search-deploy concurrency becomes 7 THEN --concurrency, the Job\'s budget line and plan\'s connections follow', () => {
  const loaded = loadExample();
  const after = everything(loaded, { ...DEFAULTS, searchDeploy: { ...DEFAULTS.searchDeploy, concurrency: 7 } });
  const job = after.at('search/Job.search-deploy-1.yaml');
  const command: string[] = job.spec.template.spec.containers[0].command;
  expect(command[command.indexOf('--concurrency') + 1]).toBe('7');
  expect(after.budget.get('search-deploy job')).toBe(8);
  expect(after.plan.connections.find((u) => u.name === 'search-deploy job')).toEqual({ name: 'search-deploy job', connections: 8, formula: '--concurrency 7 + 1', via: 'pool' });
  expect(everything(loaded, DEFAULTS).budget.get('search-deploy job')).toBe(6);
});
