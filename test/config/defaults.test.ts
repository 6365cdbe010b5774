import * as fs from 'node:fs';
import * as path from 'node:path';
import { deepMerge } from '../../lib/config/shared-defaults';
import { findInstanceDirs } from '../../lib/config/load';
import { loadInstance } from '../../lib/app/load';
import { EXAMPLE_DIR, errorOf, tempDir } from '../helpers';

/** A config root with `defaults/` and instance folders, each given as { file: text }. */
function configRoot(folders: Record<string, Record<string, string>>): string {
  const root = tempDir();
  for (const [folder, files] of Object.entries(folders)) {
    fs.mkdirSync(path.join(root, folder));
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(root, folder, file), text);
  }
  return root;
}

const example = (file: string) => fs.readFileSync(path.join(EXAMPLE_DIR, file), 'utf8');
/** The example's instance.yaml without its namespace and mastodon sections: what instances share. */
const sharedDefaults = () => example('instance.yaml').replace(/^namespace: .*\n/m, '').replace(/^mastodon:\n(  .*\n)+/m, '');
const own = (n: number) => `namespace: tenant-${n}\nmastodon:\n  version: v4.7.2\n  localDomain: tenant-${n}.example.net\n`;
/** The problems of loading, with the temp root reduced to "config/". */
const problemsOf = (dir: string) => errorOf(() => loadInstance(dir)).split('\n').map((l) => l.replace(/^.*?[\\/](defaults|tenant-\d)[\\/]/, 'config/$1/'));

describe('deepMerge', () => {
  test('maps merge, scalars and lists replace, null removes', () => {
    expect(deepMerge(
      { a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } },
      { a: { c: [3] }, d: 'y', e: null, g: true },
    )).toEqual({ a: { b: 1, c: [3] }, d: 'y', g: true });
  });

  test('a __proto__ key stays plain data', () => {
    const merged = deepMerge({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.keys(merged)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('shared defaults in config/defaults/', () => {
  test('GIVEN shared defaults and a short instance.yaml WHEN loaded THEN the instance is both, its own values winning', () => {
    const root = configRoot({
      'defaults': { 'instance.yaml': sharedDefaults(), 'queue-plan.yaml': example('queue-plan.yaml') },
      'tenant-1': { 'instance.yaml': `${own(1)}web:\n  replicas: 5\n` },
    });
    const loaded = loadInstance(path.join(root, 'tenant-1'));
    expect(loaded.instance.namespace).toBe('tenant-1');
    expect(loaded.instance.web).toEqual({ replicas: 5, workers: 2, threads: 8 });
    expect(loaded.instance.database.pool.name).toBe('mastodon-pool');
    expect(loaded.queuePlan.pools.default.threads).toBe(8);
  });

  test('GIVEN an instance that sets a section to null WHEN loaded THEN the default section is gone', () => {
    const root = configRoot({ 'defaults': { 'instance.yaml': sharedDefaults(), 'queue-plan.yaml': example('queue-plan.yaml') }, 'tenant-1': { 'instance.yaml': `${own(1)}search: null\n` } });
    expect(loadInstance(path.join(root, 'tenant-1')).instance.search).toBeUndefined();
  });

  test('GIVEN a bad value in the defaults THEN the error points into the defaults file', () => {
    const root = configRoot({
      'defaults': { 'instance.yaml': sharedDefaults().replace('workers: 2 #', 'workers: 0 #'), 'queue-plan.yaml': example('queue-plan.yaml') },
      'tenant-1': { 'instance.yaml': own(1) },
    });
    expect(problemsOf(path.join(root, 'tenant-1'))).toEqual(['config/defaults/instance.yaml:11:12: web.workers: 0 is not allowed: must be >= 1']);
  });

  test('GIVEN a bad value in the instance over a good default THEN the error points into the instance file', () => {
    const root = configRoot({
      'defaults': { 'instance.yaml': sharedDefaults(), 'queue-plan.yaml': example('queue-plan.yaml') },
      'tenant-1': { 'instance.yaml': `${own(1)}web:\n  workers: 0\n` },
    });
    expect(problemsOf(path.join(root, 'tenant-1'))).toEqual(['config/tenant-1/instance.yaml:6:12: web.workers: 0 is not allowed: must be >= 1']);
  });

  test('GIVEN an unknown field in the defaults and a missing field in the instance THEN each file is named', () => {
    const root = configRoot({
      'defaults': { 'instance.yaml': sharedDefaults().replace('  sslmode: require', '  sslmod: require'), 'queue-plan.yaml': example('queue-plan.yaml') },
      'tenant-1': { 'instance.yaml': own(1).replace('  localDomain: tenant-1.example.net\n', '') },
    });
    expect(problemsOf(path.join(root, 'tenant-1'))).toEqual([
      'config/tenant-1/instance.yaml:3:3: mastodon: missing required field "localDomain"',
      'config/defaults/instance.yaml:23:3: database.sslmod: unknown field "sslmod"; allowed fields: host, user, password, sslmode, caCertificate, preparedStatements, pool, direct',
    ]);
  });

  test('GIVEN an instance with its own queue plan THEN the shared one is not merged in', () => {
    const root = configRoot({
      'defaults': { 'instance.yaml': sharedDefaults(), 'queue-plan.yaml': example('queue-plan.yaml') },
      'tenant-1': { 'instance.yaml': own(1), 'queue-plan.yaml': 'pools:\n  all:\n    threads: 5\n    replicas: 1\n    queues: [default, push, ingress, mailers, pull, scheduler, fasp]\n' },
    });
    expect(Object.keys(loadInstance(path.join(root, 'tenant-1')).queuePlan.pools)).toEqual(['all']);
  });

  test('GIVEN the defaults folder THEN it is no instance', () => {
    const root = configRoot({ 'defaults': { 'instance.yaml': sharedDefaults() }, 'tenant-1': { 'instance.yaml': own(1) } });
    expect(findInstanceDirs(root).map((d) => path.basename(d))).toEqual(['tenant-1']);
    expect(errorOf(() => loadInstance(path.join(root, 'defaults')))).toMatch(/instance folder name "defaults" is not allowed; allowed: .* other than "defaults"/);
  });
});
