import { connectionBudget, ConnectionUse, doClusterConnections } from '../../lib/sizing/connection-budget';
import { MIGRATION_DIRECT_CONNECTIONS } from '../../lib/catalog/mastodon-processes';
import { buildModel } from '../../lib/model/build';
import { loadExample } from '../helpers';

const use = (name: string, connections: number, via: ConnectionUse['via'] = 'pool'): ConnectionUse => ({ name, connections, formula: String(connections), via });

describe('doClusterConnections', () => {
  test.each([[1, 22], [2, 47], [4, 97], [8, 197], [16, 397], [32, 797]])('GIVEN a %d GiB plan THEN 25 × GiB − 3 = %d', (gib, connections) => {
    expect(doClusterConnections(gib)).toBe(connections);
  });
});

describe('connectionBudget', () => {
  test('GIVEN only the plan THEN the pool may use the cluster less the direct connections', () => {
    const b = connectionBudget({ uses: [use('web', 100), use('migrate', 2, 'direct')], planMemoryGiB: 16 });
    expect(b).toMatchObject({ pooled: 100, direct: 2, clusterLimit: 397, poolLimit: 395, verdict: 'ok', clusterOver: false });
    expect(b.poolLimitReason).toBe('16 GiB plan: 25 × 16 − 3 = 397, less 2 direct');
  });

  test('GIVEN a pool size THEN the pooled connections are compared with it and direct ones are not', () => {
    const b = connectionBudget({ uses: [use('web', 100), use('migrate', 50, 'direct')], poolSize: 100 });
    expect(b).toMatchObject({ poolLimit: 100, usage: 1, verdict: 'warning', clusterLimit: undefined, poolLimitReason: "the pool's size" });
  });

  test('GIVEN more than 90 % THEN a warning; more than the limit THEN over', () => {
    expect(connectionBudget({ uses: [use('a', 90)], poolSize: 100 }).verdict).toBe('ok');
    expect(connectionBudget({ uses: [use('a', 91)], poolSize: 100 }).verdict).toBe('warning');
    expect(connectionBudget({ uses: [use('a', 60), use('b', 41)], poolSize: 100 }).verdict).toBe('over');
  });

  test('GIVEN a pool size and the plan THEN the pool plus direct connections must fit the cluster', () => {
    expect(connectionBudget({ uses: [use('m', 2, 'direct')], poolSize: 395, planMemoryGiB: 16 }).clusterOver).toBe(false);
    expect(connectionBudget({ uses: [use('m', 2, 'direct')], poolSize: 396, planMemoryGiB: 16 }).clusterOver).toBe(true);
  });
});

describe("the model's connections (the one mapping from an instance)", () => {
  test('GIVEN the example THEN every process type is counted at its pods × processes × DB_POOL, the search deploy and housekeeping Jobs through the pool, migrations and both pg_dumps direct', () => {
    const input = buildModel(loadExample()).connections;
    expect(input.uses.map((u) => [u.name, u.connections, u.via, u.formula])).toEqual([
      ['web', 32, 'pool', '2 pods × 2 workers × 8 threads'],
      ['streaming', 20, 'pool', '2 pods × DB_POOL 10'],
      ['sidekiq-default', 32, 'pool', '4 pods × 8 threads'],
      ['sidekiq-scheduler', 4, 'pool', '1 pod × 4 threads'],
      ['db:migrate job', MIGRATION_DIRECT_CONNECTIONS, 'direct', 'migration + advisory lock'],
      ['search-deploy job', 6, 'pool', '--concurrency 5 + 1'],
      ['backup-database job', 1, 'direct', 'pg_dump'],
      ['db-backup-pre-v4-7-2 hook', 1, 'direct', 'pg_dump'],
      ['maintenance-media-remove job', 6, 'pool', '--concurrency 5 + 1'],
      ['maintenance-preview-cards-remove job', 6, 'pool', '--concurrency 5 + 1'],
    ]);
    expect(input).toMatchObject({ planMemoryGiB: 16, poolSize: undefined });
  });

  test('GIVEN web and streaming without settings THEN their documented defaults are counted', () => {
    const loaded = loadExample();
    const { web, streaming, ...rest } = loaded.instance;
    void web; void streaming;
    const uses = buildModel({ ...loaded, instance: rest }).connections.uses;
    expect(uses.slice(0, 2).map((u) => u.connections)).toEqual([2 * 2 * 5, 2 * 10]);
  });
});
