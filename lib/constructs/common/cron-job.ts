import { k8s } from 'cdk8s-plus-28';

/** Schedules are in UTC whatever the control plane's zone is. */
const TIME_ZONE = 'Etc/UTC';
/** Finished Jobs kept for `kubectl get jobs` and their logs. */
const SUCCESSFUL_JOBS_KEPT = 3;
const FAILED_JOBS_KEPT = 3;
/** A failed pod is retried twice, each time from scratch (CronJobs and Mastodon's Jobs alike). */
export const BACKOFF_LIMIT = 2;
/** How late a missed run may still start (after a control-plane outage). */
const STARTING_DEADLINE_SECONDS = 3600;

export interface CronJobSpecProps {
  /** Cron schedule, in UTC. */
  readonly schedule: string;
  /** How late a missed run may still start (after a control-plane outage). @default 3600 */
  readonly startingDeadlineSeconds?: number;
  /** Hard time limit of one run. */
  readonly activeDeadlineSeconds: number;
  /** Retries of a failed pod. @default 2 (BACKOFF_LIMIT) */
  readonly backoffLimit?: number;
  /** The Job's and pod's labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** The pod, `restartPolicy: Never`. */
  readonly podSpec: k8s.PodSpec;
}

/**
 * The policy every scheduled Job shares (backups, housekeeping): one run at a time (a slow run makes
 * the next wait rather than overlap), UTC, a bounded run time, a few finished Jobs kept.
 */
export function cronJobSpec(props: CronJobSpecProps): k8s.CronJobSpec {
  const labels = { ...props.labels };
  return {
    schedule: props.schedule,
    timeZone: TIME_ZONE,
    concurrencyPolicy: 'Forbid',
    startingDeadlineSeconds: props.startingDeadlineSeconds ?? STARTING_DEADLINE_SECONDS,
    successfulJobsHistoryLimit: SUCCESSFUL_JOBS_KEPT,
    failedJobsHistoryLimit: FAILED_JOBS_KEPT,
    jobTemplate: {
      metadata: { labels },
      spec: {
        backoffLimit: props.backoffLimit ?? BACKOFF_LIMIT,
        activeDeadlineSeconds: props.activeDeadlineSeconds,
        template: { metadata: { labels }, spec: props.podSpec },
      },
    },
  };
}
