import { planReport } from '../../lib/app/plan';
import { loadInstance } from '../../lib/app/load';
import { buildModel } from '../../lib/model/build';
import { EXAMPLE_DIR, exampleVariant, objects as parsedObjects, renderedFiles, replaceOnce, GATEWAY_EXAMPLE_DIR } from '../helpers';

// GIVEN/WHEN/THEN for the promise of the model: for every workload the cluster runs, pods ×
// processes × DB_POOL read from the RENDERED objects equals the connection budget's figure and
// `plan --json`'s row; the search-deploy Job's --concurrency + 1 equals its budget line.

const VARIANTS: readonly [string, () => string][] = [
  ['the example', () => EXAMPLE_DIR],
  ['the gateway example', () => GATEWAY_EXAMPLE_DIR],
  ['web and streaming on HPAs, defaults for workers and threads', () => exampleVariant({
    instance: (t) => replaceOnce(replaceOnce(t, /  replicas: 2 # at least 2.*\n  workers: 2.*\n  threads: 8.*\n/, '  autoscaling: { maxReplicas: 6 }\n'),
      /streaming:\n  replicas: 2\n/, 'streaming:\n  autoscaling: { minReplicas: 3, maxReplicas: 5 }\n'),
  })],
  ['an autoscaled Sidekiq pool', () => exampleVariant({ queuePlan: (t) => replaceOnce(t, '    replicas: 4\n', '    replicas: 4\n    autoscaling: { maxReplicas: 9 }\n') })],
  ['no search, no backups', () => exampleVariant({
    instance: (t) => replaceOnce(t, /\nsearch:\n(  .*\n)+/, '\n').replace(/\nbackups:\n(  .*\n)+/, '\n'),
  })],
  ['search deploy with --concurrency 12', () => exampleVariant({ instance: (t) => replaceOnce(t, '  password: { name: opensearch, key: password }\n', '  password: { name: opensearch, key: password }\n  deploy: { concurrency: 12 }\n') })],
];

/** The rendered objects of the instance in `dir`, by `<Kind>/<name>` (its render shared by the run: renderedFiles). */
function rendered(dir: string): Map<string, any> {
  const out = new Map<string, any>();
  for (const o of parsedObjects(renderedFiles(dir)).values()) {
    out.set(`${o.kind}/${o.metadata.name}`, o);
  }
  return out;
}

const envOf = (container: any, name: string): string | undefined => container.env?.find((e: any) => e.name === name)?.value;

describe.each(VARIANTS)('GIVEN %s', (_, variant) => {
  const dir = variant();
  const loaded = loadInstance(dir);
  const objects = rendered(dir);
  const plan = JSON.parse(planReport([loaded], true).output).instances[0];
  const budget = new Map(buildModel(loaded).connections.uses.map((u) => [u.name, u.connections]));

  test('WHEN rendered and planned THEN every Deployment\'s pods × processes × DB_POOL is its budget line and its plan row', () => {
    const deployments = [...objects.values()].filter((o) => o.kind === 'Deployment' && o.metadata.namespace === loaded.instance.namespace && o.metadata.labels?.['app.kubernetes.io/name'] === 'mastodon');
    const planned = (kind: string) => plan.workloads.filter((w: any) => w.kind === kind).map((w: any) => w.name).sort();
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(planned('Deployment'));
    for (const d of deployments) {
      const name = d.metadata.name;
      const hpa = [...objects.values()].find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === name);
      const scaled = [...objects.values()].find((o) => o.kind === 'ScaledObject' && o.spec.scaleTargetRef.name === name);
      const pods = hpa?.spec.maxReplicas ?? scaled?.spec.maxReplicaCount ?? d.spec.replicas;
      const container = d.spec.template.spec.containers[0];
      const processes = Number(envOf(container, 'WEB_CONCURRENCY') ?? 1);
      const dbPool = Number(envOf(container, 'DB_POOL'));
      const row = plan.workloads.find((w: any) => w.name === name);
      expect([name, pods * processes * dbPool]).toEqual([name, budget.get(name)]);
      expect([name, row.dbConnections, row.pods, row.processes]).toEqual([name, pods * processes * dbPool, pods, pods * processes]);
      // Every container and init container (web's metrics sidecar, the tmpdir preparation) is in the plan with its resources.
      const all = [...(d.spec.template.spec.initContainers ?? []), ...d.spec.template.spec.containers].map((c: any) => ({ name: c.name, declared: c.resources }));
      expect([name, row.containers.map((c: any) => ({ name: c.name, declared: c.declared }))]).toEqual([name, all]);
    }
  });

  test('THEN the search-deploy Job\'s --concurrency + 1 is its budget line, and a Job the model counts is rendered', () => {
    const job = [...objects.values()].find((o) => o.kind === 'Job' && o.metadata.name.startsWith('search-deploy-'));
    expect(job !== undefined).toBe(budget.has('search-deploy job'));
    if (job) {
      const command: string[] = job.spec.template.spec.containers[0].command;
      expect(Number(command[command.indexOf('--concurrency') + 1]) + 1).toBe(budget.get('search-deploy job'));
    }
    const backup = [...objects.values()].find((o) => o.kind === 'CronJob' && o.metadata.name === 'backup-database');
    expect(backup !== undefined).toBe(budget.has('backup-database job'));
    expect(budget.get('db:migrate job')).toBe(2);
  });

  test('THEN every rendered object that runs pods is a plan row, at its replicas, with each container\'s resources', () => {
    // Any pod template, whatever its kind, or a Dragonfly (the operator's pods): a new workload
    // without a plan row fails here.
    const podsOf = (o: any) => o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec ?? (o.kind === 'Dragonfly' ? { containers: [{ name: 'dragonfly', resources: o.spec.resources }] } : undefined);
    const running = [...objects.values()].filter((o) => podsOf(o) !== undefined);
    expect(running.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(plan.workloads.map((w: any) => `${w.kind}/${w.name}`).sort());
    for (const o of running) {
      const row = plan.workloads.find((w: any) => w.kind === o.kind && w.name === o.metadata.name);
      const pod = podsOf(o);
      const containers = [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => ({ name: c.name, declared: c.resources }));
      expect([o.metadata.name, row.containers.map((c: any) => ({ name: c.name, declared: c.declared }))]).toEqual([o.metadata.name, containers]);
      if (o.kind === 'Dragonfly') expect([o.metadata.name, row.pods, row.class]).toEqual([o.metadata.name, o.spec.replicas, 'steady']);
      if (o.kind === 'CronJob') expect([o.metadata.name, row.pods, row.class, row.schedule.cron]).toEqual([o.metadata.name, 1, 'scheduled', o.spec.schedule]);
      if (o.kind === 'Job') expect([o.metadata.name, row.class]).toEqual([o.metadata.name, 'sync']);
    }
  });

  test('THEN the budget\'s pooled total is plan --json\'s total', () => {
    const pooled = plan.connections.filter((u: any) => u.via === 'pool').reduce((n: number, u: any) => n + u.connections, 0);
    expect(plan.totals.dbConnections).toBe(pooled);
    expect(plan.connections).toEqual(buildModel(loaded).connections.uses);
  });
});
