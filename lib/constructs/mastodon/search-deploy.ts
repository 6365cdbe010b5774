import { Construct } from 'constructs';
import { IGNORE_HEALTHCHECK_ANNOTATION } from '../../catalog/argocd';
import { MastodonJob, SharedEnvJobProps, sharedEnvJob } from './mastodon-job';

/** Indexing every status of a large instance takes hours. */
const RUN_LIMIT_SECONDS = 12 * 3600;
const BACKOFF_LIMIT = 1;

export interface SearchDeployJobProps extends SharedEnvJobProps {
  /** The Job's name; it changes only when the operator bumps `search.deploy.reindex`. */
  readonly name: string;
  /** `--concurrency`: indexing threads, each holding a database connection. */
  readonly concurrency: number;
  /** `--batch-size`: records per batch. */
  readonly batchSize: number;
}

/**
 * `tootctl search deploy` (creates the indices, upgrades those whose mapping changed, which erases
 * them, and imports the database) as a plain Job, not a hook: Argo CD runs hooks at every sync.
 * Its name carries `search.deploy.reindex`, so a new run happens only when the operator bumps that
 * value; Argo CD then creates the new Job and prunes the old one. A version bump or a config change
 * does not run it. The Application syncing it ignores the Job's `spec` and applies it with
 * `RespectIgnoreDifferences` (lib/charts/argocd-chart.ts, for every plain Job), so a later change of
 * image or environment is never applied to the existing Job (whose pod template is immutable).
 *
 * It reads the shared ConfigMap, which the mastodon Application (an earlier wave) creates. Its
 * health is left out of its Application's (`ignore-healthcheck`): an hours-long run must not hold
 * the root's sync; follow it with `kubectl logs job/<name>`.
 * @see https://docs.joinmastodon.org/admin/elasticsearch/
 */
export class SearchDeployJob extends Construct {
  public readonly job: MastodonJob;

  constructor(scope: Construct, id: string, props: SearchDeployJobProps) {
    super(scope, id);
    this.job = new MastodonJob(this, 'Job', {
      ...sharedEnvJob(props),
      command: ['bin/tootctl', 'search', 'deploy', '--concurrency', String(props.concurrency), '--batch-size', String(props.batchSize)],
      annotations: { [IGNORE_HEALTHCHECK_ANNOTATION]: 'true' },
      backoffLimit: BACKOFF_LIMIT,
      activeDeadlineSeconds: RUN_LIMIT_SECONDS,
    });
  }
}
