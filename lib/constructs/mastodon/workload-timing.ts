import { k8s } from 'cdk8s-plus-28';

/** Timings of the readiness and liveness probes of a running process: every 10 s, 3 misses in a row. */
export const STEADY_PROBE = { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 } as const;

/** How often a starting process is checked. */
const STARTUP_PERIOD_SECONDS = 5;

/** Startup-probe timings that give a process `seconds` to start before the kubelet restarts it. */
export function startupProbeTiming(seconds: number): Pick<k8s.Probe, 'periodSeconds' | 'failureThreshold' | 'timeoutSeconds'> {
  return { periodSeconds: STARTUP_PERIOD_SECONDS, failureThreshold: Math.ceil(seconds / STARTUP_PERIOD_SECONDS), timeoutSeconds: STEADY_PROBE.timeoutSeconds };
}

/** Rollouts that never drop below the wanted pods: one extra pod at a time, none taken away first. */
export function zeroDowntimeRollout(): k8s.DeploymentStrategy {
  return { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } };
}
