import { SidekiqPoolConfig } from '../../lib/config/types';
import { SIDEKIQ_SHUTDOWN, sidekiqGracePeriodSeconds } from '../../lib/sizing/sidekiq';
import { SIDEKIQ_AUTOSCALING, sidekiqAutoscalingPlan } from '../../lib/sizing/sidekiq-autoscaling';
import { sidekiqPoolMaxReplicas } from '../../lib/model/workloads';

const POOL: SidekiqPoolConfig = { threads: 8, replicas: 2, queues: { default: 1 } };

describe('the autoscaling of a Sidekiq pool', () => {
  test('GIVEN no autoscaling THEN a fixed number of pods, counted at replicas', () => {
    expect(sidekiqAutoscalingPlan(POOL)).toBeUndefined();
    expect(sidekiqPoolMaxReplicas(POOL)).toBe(2);
  });

  test('GIVEN only maxReplicas THEN replicas is the minimum, ten waiting jobs per thread the target, and the budget counts the maximum', () => {
    const pool = { ...POOL, autoscaling: { maxReplicas: 6 } };
    expect(sidekiqAutoscalingPlan(pool)).toEqual({
      minReplicas: 2,
      maxReplicas: 6,
      backlogPerReplica: 8 * SIDEKIQ_AUTOSCALING.backlogPerThread,
      pollingIntervalSeconds: 30,
      scaleDownStabilizationSeconds: 300,
      scaleDownPods: 1,
      scaleDownPeriodSeconds: sidekiqGracePeriodSeconds(),
      fallbackFailureThreshold: 3,
    });
    expect(sidekiqPoolMaxReplicas(pool)).toBe(6);
  });

  test('GIVEN a backlog and a polling interval THEN they are taken as given', () => {
    expect(sidekiqAutoscalingPlan({ ...POOL, autoscaling: { maxReplicas: 6, backlogPerReplica: 500, pollingIntervalSeconds: 15 } }))
      .toMatchObject({ backlogPerReplica: 500, pollingIntervalSeconds: 15 });
  });

  test('THEN a pod is removed no faster than one finishes its jobs', () => {
    expect(sidekiqAutoscalingPlan({ ...POOL, autoscaling: { maxReplicas: 6 } })!.scaleDownPeriodSeconds)
      .toBeGreaterThan(SIDEKIQ_SHUTDOWN.quietSeconds + SIDEKIQ_SHUTDOWN.timeoutSeconds);
  });
});
