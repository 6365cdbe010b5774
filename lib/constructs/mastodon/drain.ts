import { k8s } from 'cdk8s-plus-28';

/**
 * Seconds a terminating web or streaming pod keeps serving before its process is signalled: the
 * time for the EndpointSlice change to reach kube-proxy/Cilium and the edge (ingress-nginx, the
 * Gateway's Envoy), so no new request is sent to a pod that is shutting down.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 */
export const DRAIN_DELAY_SECONDS = 15;
/** Slack between the process's own shutdown allowance and the kubelet's SIGKILL. */
const SHUTDOWN_MARGIN_SECONDS = 5;

/** A preStop hook that sleeps for the drain delay (both Mastodon images ship coreutils' `sleep`). */
export function drainBeforeStop(): k8s.Lifecycle {
  return { preStop: { exec: { command: ['sleep', String(DRAIN_DELAY_SECONDS)] } } };
}

/**
 * `terminationGracePeriodSeconds` for a pod with the drain hook: the preStop sleep counts against
 * the grace period, then the process gets `shutdownSeconds` to finish in-flight work.
 */
export function drainGracePeriodSeconds(shutdownSeconds: number): number {
  return DRAIN_DELAY_SECONDS + shutdownSeconds + SHUTDOWN_MARGIN_SECONDS;
}
