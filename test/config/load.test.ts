import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../../lib/core/errors';
import { loadInstance } from '../../lib/app/load';
import { errorOf, exampleVariant, loadExample, problemsOf, replaceOnce } from '../helpers';

describe('loading config/example', () => {
  test('GIVEN the example WHEN loaded THEN both files are typed data', () => {
    const loaded = loadExample();
    expect(loaded.id).toBe('example');
    expect(loaded.instance.mastodon.version).toBe('v4.7.2');
    expect(loaded.queuePlan.pools.default.threads).toBe(8);
  });
});

describe('bad input gets file:line:col, the path, the value and what is allowed', () => {
  test('GIVEN a value below its minimum THEN the message names it and the bound', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'workers: 2 #', 'workers: 0 #') });
    expect(problemsOf(dir)).toEqual(['instance.yaml:18:12: web.workers: 0 is not allowed: must be >= 1']);
  });

  test('GIVEN a value outside an enum THEN the allowed values are listed', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'logLevel: warn', 'logLevel: verbose') });
    expect(problemsOf(dir)).toEqual(['instance.yaml:13:13: mastodon.logLevel: "verbose" is not allowed; allowed: "debug", "info", "warn", "error"']);
  });

  test('GIVEN a misspelt field THEN the message points at the key and lists the known fields', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  sslmode: require', '  sslmod: require') });
    expect(problemsOf(dir)).toEqual(['instance.yaml:30:3: database.sslmod: unknown field "sslmod"; allowed fields: host, user, password, sslmode, caCertificate, preparedStatements, pool, direct']);
  });

  test('GIVEN a missing required field THEN the parent is named', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  user: mastodon\n', '') });
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/^instance\.yaml:\d+:\d+: database: missing required field "user"; allowed: a PostgreSQL name: 1 to 63 characters \(longer names are cut to 63 bytes\)$/)]);
  });

  test('GIVEN a bad version tag THEN the allowed form is described', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, 'version: v4.7.2', 'version: latest') });
    expect(problemsOf(dir)).toEqual(['instance.yaml:10:12: mastodon.version: "latest" is not allowed; allowed: a Mastodon 4.x release tag such as v4.7.2']);
  });

  test('GIVEN a pool name that is no DNS label THEN the key is pointed at', () => {
    const dir = exampleVariant({ queuePlan: (t) => replaceOnce(t, '  scheduler:\n', '  Sched_uler:\n') });
    expect(problemsOf(dir)).toEqual(['queue-plan.yaml:15:3: pools.Sched_uler: "Sched_uler" is not allowed as a name; allowed: a pool name: a DNS label of at most 54 characters (the Deployment is sidekiq-<pool>)']);
  });

  test('GIVEN queues that are neither a map nor a list THEN both forms are offered', () => {
    const dir = exampleVariant({ queuePlan: (t) => replaceOnce(t, 'queues: { scheduler: 2, mailers: 1 }', 'queues: scheduler') });
    expect(problemsOf(dir)).toEqual(['queue-plan.yaml:18:13: pools.scheduler.queues: "scheduler" is not allowed; allowed: a map of queue: weight (weighted) or a list of queues (strict priority order)']);
  });

  test('GIVEN a bad queue name inside a list THEN only the list item is reported', () => {
    const dir = exampleVariant({ queuePlan: (t) => replaceOnce(t, 'queues: { scheduler: 2, mailers: 1 }', 'queues: [scheduler, Mailers]') });
    expect(problemsOf(dir)).toEqual(["queue-plan.yaml:18:25: pools.scheduler.queues[1]: \"Mailers\" is not allowed; allowed: a queue name: lowercase letters, digits and '_', starting with a letter"]);
  });

  test('GIVEN problems in both files THEN all are reported at once, in file order', () => {
    const dir = exampleVariant({
      instance: (t) => replaceOnce(t, 'workers: 2 #', 'workers: 0 #'),
      queuePlan: (t) => replaceOnce(t, 'threads: 4', 'threads: four'),
    });
    expect(problemsOf(dir)).toEqual([
      'instance.yaml:18:12: web.workers: 0 is not allowed: must be >= 1',
      'queue-plan.yaml:16:14: pools.scheduler.threads: "four" is not allowed: must be integer; allowed: 1 to 100 threads (25 or fewer recommended)',
    ]);
  });

  test('GIVEN a duplicate key THEN the YAML error is positioned', () => {
    const dir = exampleVariant({ queuePlan: (t) => `${t}  scheduler: {threads: 1, replicas: 1, queues: [scheduler]}\n` });
    expect(problemsOf(dir)).toEqual(['queue-plan.yaml:19:3: pools.scheduler: the key "scheduler" is defined twice in this map (first at line 15); each key may appear once']);
  });

  test('GIVEN a missing queue plan THEN the file is named', () => {
    const dir = exampleVariant();
    fs.rmSync(path.join(dir, 'queue-plan.yaml'));
    expect(problemsOf(dir)).toEqual(['queue-plan.yaml:1:1: file not found; every instance folder needs instance.yaml and queue-plan.yaml (or a shared defaults/queue-plan.yaml beside it)']);
  });

  test('GIVEN an instance folder whose name is no DNS label THEN that is the error', () => {
    const dir = exampleVariant({}, 'My_Instance');
    expect(() => loadInstance(dir)).toThrow(ConfigError);
    expect(errorOf(() => loadInstance(dir))).toMatch(/instance folder name "My_Instance" is not allowed; allowed: a DNS label/);
  });
});
