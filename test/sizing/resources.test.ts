import { RAILS_TASK_FACTORS, SIDEKIQ_FACTORS, WEB_FACTORS } from '../../lib/sizing/factors';
import { parseCpuMillis, parseMemoryMiB } from '../../lib/core/quantity';
import { railsTaskResources, sidekiqResources, streamingResources, webResources } from '../../lib/sizing/resources';

describe('sidekiqResources', () => {
  test('GIVEN threads WHEN sized THEN memory grows per thread from the base and CPU per thread', () => {
    const r = sidekiqResources(8);
    expect(r.requests.memory).toBe(`${SIDEKIQ_FACTORS.memoryBaseMiB + 8 * SIDEKIQ_FACTORS.memoryPerThreadMiB}Mi`);
    expect(r.requests.cpu).toBe(`${8 * SIDEKIQ_FACTORS.cpuPerThreadMillis}m`);
    expect(parseMemoryMiB(r.limits.memory)).toBe(Math.ceil(parseMemoryMiB(r.requests.memory) * SIDEKIQ_FACTORS.memoryLimitRatio));
    // No CPU limit: throttling Ruby protects nobody.
    expect(r.limits.cpu).toBeUndefined();
  });

  test('GIVEN one thread WHEN sized THEN the CPU request does not fall below the floor', () => {
    expect(parseCpuMillis(sidekiqResources(1).requests.cpu)).toBe(SIDEKIQ_FACTORS.cpuMinMillis);
  });

  test('GIVEN custom factors WHEN sized THEN they are used', () => {
    const r = sidekiqResources(10, undefined, { ...SIDEKIQ_FACTORS, memoryBaseMiB: 1000, memoryPerThreadMiB: 10 });
    expect(r.requests.memory).toBe('1100Mi');
  });

  test('GIVEN an override of some fields WHEN sized THEN those fields change, and the derived limit follows the request', () => {
    const r = sidekiqResources(8, { requests: { memory: '2Gi' }, limits: { cpu: '2' } });
    expect(r.requests).toEqual({ cpu: '400m', memory: '2Gi' });
    expect(r.limits.cpu).toBe('2');
    expect(r.limits.memory).toBe(`${2048 * SIDEKIQ_FACTORS.memoryLimitRatio}Mi`);
    expect(parseMemoryMiB(r.limits.memory)).toBeGreaterThanOrEqual(parseMemoryMiB(r.requests.memory));
  });

  test('GIVEN an explicit limit WHEN sized THEN it is kept as given', () => {
    expect(sidekiqResources(8, { requests: { memory: '2Gi' }, limits: { memory: '3Gi' } }).limits.memory).toBe('3Gi');
  });
});

describe('webResources', () => {
  test('GIVEN workers × threads WHEN sized THEN memory is master + workers × (worker + threads)', () => {
    const r = webResources(2, 8);
    const expected = WEB_FACTORS.memoryBaseMiB + 2 * (WEB_FACTORS.memoryPerWorkerMiB + 8 * WEB_FACTORS.memoryPerThreadMiB);
    expect(r.requests.memory).toBe(`${expected}Mi`);
    expect(r.requests.cpu).toBe(`${2 * 8 * WEB_FACTORS.cpuPerThreadMillis}m`);
  });
});

describe('streamingResources', () => {
  test('GIVEN a bigger DB pool WHEN sized THEN more memory is requested', () => {
    expect(parseMemoryMiB(streamingResources(20).requests.memory)).toBeGreaterThan(parseMemoryMiB(streamingResources(10).requests.memory));
  });
});

describe('quantities', () => {
  test.each([['250m', 250], ['1', 1000], ['1.5', 1500]])('cpu %s = %d millicores', (q, m) => expect(parseCpuMillis(q)).toBe(m));
  test.each([['512Mi', 512], ['1.5Gi', 1536], ['1024Ki', 1]])('memory %s = %d MiB', (q, m) => expect(parseMemoryMiB(q)).toBe(m));
});

describe('railsTaskResources', () => {
  test('GIVEN a Rails task WHEN sized THEN it requests the task factors and limits memory by their ratio', () => {
    const r = railsTaskResources();
    expect(r.requests).toEqual({ cpu: `${RAILS_TASK_FACTORS.cpuMillis}m`, memory: `${RAILS_TASK_FACTORS.memoryMiB}Mi` });
    expect(r.limits).toEqual({ memory: `${RAILS_TASK_FACTORS.memoryMiB * RAILS_TASK_FACTORS.memoryLimitRatio}Mi` });
  });
});
