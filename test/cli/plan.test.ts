import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_DIR, exampleVariant, objects, renderExample, replaceOnce, REPO, runCli as run, GATEWAY_EXAMPLE_DIR } from '../helpers';

describe('mastodon-cdk8s plan', () => {
  test('GIVEN the example WHEN planned THEN every pod it runs, Dragonflies, CronJobs and sync Jobs included, with totals and the budget', async () => {
    const result = await run(['plan', '--config', EXAMPLE_DIR]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatchSnapshot();
    const cells = (name: string) => result.stdout.split('\n').find((l) => l.startsWith(`| ${name} `))?.split('|').slice(1, -1).map((c) => c.trim());
    expect(cells('sidekiq-default')).toEqual(['sidekiq-default', 'Deployment', '4', '4', '32', '400m', '640Mi', '960Mi', '–']);
    // Web's pod: Mastodon and the metrics sidecar summed (the tmpdir init container is smaller).
    expect(cells('web')).toEqual(['web', 'Deployment', '2', '4', '32', '425m', '1184Mi', '1824Mi', '–']);
    expect(cells('web: prometheus-exporter')).toEqual(['web: prometheus-exporter', '', '', '', '', '25m', '96Mi', '192Mi', '–']);
    expect(cells('dragonfly-mastodon')).toEqual(['dragonfly-mastodon', 'Dragonfly', '2', '–', '–', '2000m', '2048Mi', '2048Mi', '–']);
    // The backup's pod asks for pg_dump's scratch space, its init container's, while the upload runs after it.
    expect(cells('backup-database (0 */6 * * *)')).toEqual(['backup-database (0 */6 * * *)', 'CronJob', '1', '–', '–', '250m', '256Mi', '1024Mi', '32768Mi']);
    expect(cells('db-migrate-pre (PreSync)')?.slice(1, 3)).toEqual(['Job', '1']);
    expect(cells('**always running**')).toEqual(['**always running**', '', '15', '11', '68', '10850m', '16144Mi', '19424Mi', '–']);
    expect(result.stdout).toContain('- With every CronJob running at once: 20 pods, 13850m CPU, 18768Mi memory requested (25152Mi limits), 32768Mi ephemeral storage: what the nodes must hold outside a sync.');
    expect(result.stdout).toContain('- 106 PostgreSQL connections through the pool, 27 % of the 393 it allows (16 GiB plan: 25 × 16 − 3 = 397, less 4 direct): 287 to spare.');
  });

  test('GIVEN the example\'s rendered objects WHEN the example is planned THEN every object that runs pods has its row, and nothing else', async () => {
    const result = await run(['plan', '--config', EXAMPLE_DIR, '--json']);
    const [plan] = JSON.parse(result.stdout).instances;
    const running = [...objects(renderExample()).values()]
      .filter((o) => o?.spec?.template?.spec?.containers || o?.spec?.jobTemplate || o?.kind === 'Dragonfly')
      .map((o) => `${o.kind}/${o.metadata.name}`);
    expect(running.length).toBeGreaterThan(10);
    expect(plan.workloads.map((w: any) => `${w.kind}/${w.name}`).sort()).toEqual(running.sort());
  });

  test('THEN README.md shows the example\'s current plan', async () => {
    const { stdout } = await run(['plan', '--config', EXAMPLE_DIR]);
    expect(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8')).toContain(stdout.trimEnd());
  });

  test('GIVEN --json WHEN planned THEN the same plan as data', async () => {
    const result = await run(['plan', '--config', EXAMPLE_DIR, '--json']);
    const [plan] = JSON.parse(result.stdout).instances;
    const deployments = plan.workloads.filter((w: any) => w.kind === 'Deployment');
    expect(deployments.map((w: any) => [w.name, w.pods, w.dbConnections])).toEqual([['web', 2, 32], ['streaming', 2, 20], ['sidekiq-default', 4, 32], ['sidekiq-scheduler', 1, 4]]);
    expect(plan.workloads.filter((w: any) => w.kind === 'Dragonfly').map((w: any) => [w.name, w.pods, w.perPod.cpuMillis, w.perPod.memoryMiB]))
      .toEqual([['dragonfly-mastodon', 2, 2000, 2048], ['dragonfly-sidekiq', 2, 1000, 2048], ['dragonfly-cache', 2, 1000, 1024]]);
    expect(plan.totals.steady).toMatchObject({ pods: 15, resources: { cpuMillis: 10850, memoryMiB: 16144 } });
    expect(plan.totals).toMatchObject({ dbConnections: 106, directDbConnections: 4, syncPhase: 'Sync' });
    expect(plan.budget).toMatchObject({ pooled: 106, direct: 4, poolLimit: 393, clusterLimit: 397, verdict: 'ok' });
  });

  test('GIVEN an autoscaled pool (config/gateway-example: 2 to 5 pods) WHEN planned THEN it is counted at its maximum', async () => {
    const result = await run(['plan', '--config', GATEWAY_EXAMPLE_DIR, '--json']);
    const [plan] = JSON.parse(result.stdout).instances;
    expect(plan.workloads.find((w: any) => w.name === 'sidekiq-default')).toMatchObject({ kind: 'Deployment', pods: 5, dbConnections: 40 });
    expect(plan.budget).toMatchObject({ pooled: 84, poolLimit: 95, verdict: 'ok' });
  });

  test('GIVEN a plan over budget WHEN planned THEN the table is shown and the command fails like synth', async () => {
    const dir = exampleVariant({ queuePlan: (t) => replaceOnce(t, 'replicas: 4', 'replicas: 50') });
    const result = await run(['plan', '--config', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^\| sidekiq-default +\| Deployment +\| +50 \|/m);
    expect(result.stdout).toContain('474 PostgreSQL connections through the pool, 121 % of the 393 it allows (16 GiB plan: 25 × 16 − 3 = 397, less 4 direct): 81 too many.');
    expect(result.stderr).toMatch(/instance\.yaml:37:20: database\.pool\.planMemoryGiB: the instance can open 474 PostgreSQL connections through the pool, more than the 393 it allows/);
  });

  test('GIVEN a warning WHEN synthesized THEN the CLI prints it with its position and still renders', async () => {
    const dir = exampleVariant({ queuePlan: (t) => replaceOnce(t, 'threads: 8 #', 'threads: 30 #') });
    const result = await run(['synth', '--config', dir, '--out', `${dir}-dist`]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: .*queue-plan\.yaml:7:14: pools\.default\.threads: 30 threads is more than 25/);
  });

  const POOLS = (count: number) => `nodePools:
  - name: mastodon
    size: s-4vcpu-8gb
    count: ${count}
    allocatable: { cpu: 3900m, memory: 6.5Gi }
    reservedPerNode: { cpu: 300m, memory: 600Mi }
`;

  test('GIVEN node pools with room for the pods but not for a drain WHEN planned THEN the pool table, the fit, and the drained node that fails with the pods it cannot place', async () => {
    const dir = exampleVariant({ instance: (t) => `${t}${POOLS(4)}` });
    const result = await run(['plan', '--config', dir]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('| mastodon  | 4 × s-4vcpu-8gb | 3600m, 6056Mi     |          20 | 13850m (96 %) |   18768Mi (77 %) |');
    expect(result.stdout).toContain('- ✓ The pods that may run at once (always running and every CronJob) fit: mastodon-1 4, mastodon-2 4, mastodon-3 4, mastodon-4 8 pods (plan --json lists them).');
    expect(result.stdout).toMatch(/- ✗ mastodon-1 drained \(the fullest of mastodon\): no placement found for dragonfly-mastodon#1: no node of mastodon has room for 2000m CPU, 2048Mi memory; dragonfly-sidekiq#1: no node of mastodon has room for 1000m CPU, 2048Mi memory; .*Add a node to mastodon, or let the pods use another pool\./);
  });

  test('GIVEN one node more WHEN planned THEN the drain fits too, and --json lists every pod\'s node', async () => {
    const dir = exampleVariant({ instance: (t) => `${t}${POOLS(5)}` });
    const result = await run(['plan', '--config', dir]);
    expect(result.stdout).toContain('- ✓ mastodon-1 drained (the fullest of mastodon): its pods fit on the other nodes.');
    const [plan] = JSON.parse((await run(['plan', '--config', dir, '--json'])).stdout).instances;
    const placed = plan.nodes.fit.placement.nodes.flatMap((n: any) => n.pods);
    expect(placed).toHaveLength(plan.totals.always.pods);
    expect(placed).toContain('dragonfly-cache#2');
  });

  test('GIVEN two node pools of one name WHEN planned THEN the second is named at its line', async () => {
    const dir = exampleVariant({ instance: (t) => `${t}${POOLS(2)}${POOLS(2).replace('nodePools:\n', '')}` });
    const result = await run(['plan', '--config', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/instance\.yaml:\d+:11: nodePools\[1\]\.name: "mastodon" is not allowed: another node pool has this name; allowed: a name per pool/);
  });
});
