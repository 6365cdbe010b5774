import { dragonflyResources, dragonflyResourcesProblem, dragonflyThreads, snapshotVolumeSize } from '../../lib/sizing/dragonfly';

describe('Dragonfly sizing', () => {
  test('GIVEN no override WHEN sized THEN each role gets a CPU per thread and its memory, both requested at the limit', () => {
    expect(dragonflyResources('sidekiq')).toEqual({ requests: { cpu: '1000m', memory: '2048Mi' }, limits: { cpu: '1000m', memory: '2048Mi' } });
    expect(dragonflyResources('cache')).toEqual({ requests: { cpu: '1000m', memory: '1024Mi' }, limits: { cpu: '1000m', memory: '1024Mi' } });
  });

  test('GIVEN only limits WHEN sized THEN the requests follow them (every thread gets its CPU under contention)', () => {
    expect(dragonflyResources('mastodon', { limits: { memory: '6Gi' } })).toEqual({ requests: { cpu: '1000m', memory: '6Gi' }, limits: { cpu: '1000m', memory: '6Gi' } });
    expect(dragonflyResources('mastodon', { limits: { cpu: '3' } })).toEqual({ requests: { cpu: '3', memory: '2048Mi' }, limits: { cpu: '3', memory: '2048Mi' } });
  });

  test('GIVEN an explicit CPU request WHEN sized THEN it is kept (the user chose to overcommit)', () => {
    expect(dragonflyResources('cache', { requests: { cpu: '250m' } }).requests.cpu).toBe('250m');
  });

  test('threads follow the CPU limit, counted up', () => {
    expect(dragonflyThreads('2')).toBe(2);
    expect(dragonflyThreads('1500m')).toBe(2);
    expect(dragonflyThreads('250m')).toBe(1);
  });

  test('GIVEN 256 MiB per thread out of 80% of the limit THEN Dragonfly can start; below, the fix is named', () => {
    expect(dragonflyResourcesProblem(dragonflyResources('cache', { limits: { cpu: '2', memory: '640Mi' } }))).toBeUndefined();
    expect(dragonflyResourcesProblem(dragonflyResources('cache', { limits: { cpu: '2', memory: '600Mi' } }))).toBe(
      'the memory limit 600Mi is too small for 2 Dragonfly thread(s) (one per CPU of the limit 2): Dragonfly needs 256 MiB per thread out of 80% of the limit; raise the memory limit to at least 640Mi or lower the CPU limit');
  });

  test('GIVEN a request above its limit THEN that is the problem', () => {
    expect(dragonflyResourcesProblem(dragonflyResources('cache', { requests: { cpu: '2' } }))).toBe('the CPU request 2 is above the CPU limit 1000m');
    expect(dragonflyResourcesProblem(dragonflyResources('cache', { requests: { memory: '2Gi' } }))).toBe('the memory request 2Gi is above the memory limit 1024Mi');
  });

  test('snapshot volumes hold two snapshots, and at least DigitalOcean\'s smallest volume', () => {
    expect(snapshotVolumeSize('2Gi')).toBe('4096Mi');
    expect(snapshotVolumeSize('256Mi')).toBe('1024Mi');
  });
});
