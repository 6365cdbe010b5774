import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_DIR, exampleVariant, replaceOnce, REPO, runCli as run } from '../helpers';

describe('mastodon-cdk8s plan', () => {
  test('GIVEN the example WHEN planned THEN a Markdown table per process type with totals and the budget', async () => {
    const result = await run(['plan', '--config', EXAMPLE_DIR]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatchSnapshot();
    const lines = result.stdout.split('\n');
    expect(lines).toContain('| sidekiq-default                      |    4 |         4 |       8 |             32 |        400m |         – |          640Mi |        960Mi |');
    expect(lines).toContain('| web: prometheus-exporter             |    2 |         – |       – |              0 |         25m |         – |           96Mi |        192Mi |');
    expect(lines).toContain('| **total**                            |    9 |        11 |      68 | 106 + 4 direct |       2850m |         – |         5904Mi |       9184Mi |');
    expect(result.stdout).toContain('- 106 PostgreSQL connections through the pool, 27 % of the 393 it allows (16 GiB plan: 25 × 16 − 3 = 397, less 4 direct): 287 to spare.');
  });

  test('THEN README.md shows the example\'s current plan', async () => {
    const { stdout } = await run(['plan', '--config', EXAMPLE_DIR]);
    expect(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8')).toContain(stdout.trimEnd());
  });

  test('GIVEN --json WHEN planned THEN the same plan as data', async () => {
    const result = await run(['plan', '--config', EXAMPLE_DIR, '--json']);
    const [plan] = JSON.parse(result.stdout).instances;
    expect(plan.workloads.map((w: any) => [w.name, w.pods, w.dbConnections])).toEqual([['web', 2, 32], ['streaming', 2, 20], ['sidekiq-default', 4, 32], ['sidekiq-scheduler', 1, 4]]);
    expect(plan.totals).toMatchObject({ pods: 9, dbConnections: 106, cpuRequestMillis: 2850, memoryRequestMiB: 5904 });
    expect(plan.budget).toMatchObject({ pooled: 106, direct: 4, poolLimit: 393, clusterLimit: 397, verdict: 'ok' });
  });

  test('GIVEN an autoscaled pool (config/gateway-example: 2 to 5 pods) WHEN planned THEN it is counted at its maximum', async () => {
    const result = await run(['plan', '--config', path.join(REPO, 'config', 'gateway-example'), '--json']);
    const [plan] = JSON.parse(result.stdout).instances;
    expect(plan.workloads.find((w: any) => w.name === 'sidekiq-default')).toMatchObject({ pods: 5, dbConnections: 40 });
    expect(plan.budget).toMatchObject({ pooled: 84, poolLimit: 95, verdict: 'ok' });
  });

  test('GIVEN a plan over budget WHEN planned THEN the table is shown and the command fails like synth', async () => {
    const dir = exampleVariant({ queuePlan: (t) => replaceOnce(t, 'replicas: 4', 'replicas: 50') });
    const result = await run(['plan', '--config', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('| sidekiq-default                      |   50 |');
    expect(result.stdout).toContain('474 PostgreSQL connections through the pool, 121 % of the 393 it allows (16 GiB plan: 25 × 16 − 3 = 397, less 4 direct): 81 too many.');
    expect(result.stderr).toMatch(/instance\.yaml:37:20: database\.pool\.planMemoryGiB: the instance can open 474 PostgreSQL connections through the pool, more than the 393 it allows/);
  });

  test('GIVEN a warning WHEN synthesized THEN the CLI prints it with its position and still renders', async () => {
    const dir = exampleVariant({ queuePlan: (t) => replaceOnce(t, 'threads: 8 #', 'threads: 30 #') });
    const result = await run(['synth', '--config', dir, '--out', `${dir}-dist`]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: .*queue-plan\.yaml:7:14: pools\.default\.threads: 30 threads is more than 25/);
  });
});
