import { replicaPlan } from '../../lib/model/replicas';

describe('replicaPlan', () => {
  test('GIVEN nothing THEN two fixed pods', () => {
    expect(replicaPlan({})).toEqual({ replicas: 2, minReplicas: 2, maxReplicas: 2 });
  });

  test('GIVEN replicas THEN that fixed count', () => {
    expect(replicaPlan({ replicas: 5 })).toEqual({ replicas: 5, minReplicas: 5, maxReplicas: 5 });
  });

  test('GIVEN autoscaling THEN no Deployment replicas, defaults filled, and the maximum for budgets', () => {
    expect(replicaPlan({ autoscaling: { maxReplicas: 6 } })).toEqual({
      minReplicas: 2, maxReplicas: 6, autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuUtilization: 70 },
    });
  });
});
