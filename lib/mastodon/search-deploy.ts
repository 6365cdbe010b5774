import { Construct } from 'constructs';
import { SearchDeployConfig } from '../config/types';
import { sidekiqResources } from '../sizing/resources';
import { MastodonEnv } from './mastodon-env';
import { MastodonJob } from './mastodon-job';

/** tootctl's own defaults. */
export const DEFAULT_SEARCH_DEPLOY_CONCURRENCY = 5;
export const DEFAULT_SEARCH_DEPLOY_BATCH_SIZE = 100;
/** After the post-deployment migrations, which are PostSync hooks of wave 0. */
const SYNC_WAVE = '10';
/** Indexing every status of a large instance takes hours. */
const RUN_LIMIT_SECONDS = 12 * 3600;
const BACKOFF_LIMIT = 1;

export interface SearchDeployJobProps {
  readonly instanceId: string;
  readonly version: string;
  readonly env: MastodonEnv;
  /** @default tootctl's defaults */
  readonly config?: SearchDeployConfig;
}

/**
 * `tootctl search deploy` once per Mastodon version: it creates the indices, upgrades those whose
 * mapping changed in the new release (which erases them) and imports the database into them.
 *
 * An Argo CD PostSync hook, so it runs after the rollout and the post-deployment migrations. It is
 * named for the version and, unlike the migrations, not deleted before the next sync
 * (hook-delete-policy HookFailed): Argo CD creates a named hook only once, so a finished run is
 * kept and the (hours-long) import is not repeated on every sync; a failed run is deleted and
 * retried on the next sync, and a new version gets a new Job. Its pod reads the shared ConfigMap
 * (which exists by PostSync) rather than inline settings, so configuration changes leave the
 * finished Job's immutable spec untouched.
 * @see https://docs.joinmastodon.org/admin/elasticsearch/
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 */
export class SearchDeployJob extends Construct {
  public readonly job: MastodonJob;

  constructor(scope: Construct, id: string, props: SearchDeployJobProps) {
    super(scope, id);
    const concurrency = props.config?.concurrency ?? DEFAULT_SEARCH_DEPLOY_CONCURRENCY;
    const batchSize = props.config?.batchSize ?? DEFAULT_SEARCH_DEPLOY_BATCH_SIZE;
    this.job = new MastodonJob(this, 'Job', {
      name: `search-deploy-${props.version.replace(/\./g, '-')}`,
      instance: props.instanceId,
      version: props.version,
      command: ['bin/tootctl', 'search', 'deploy', '--concurrency', String(concurrency), '--batch-size', String(batchSize)],
      envFrom: props.env.envFrom,
      env: props.env.model.rails,
      // A Rails process with `concurrency` threads, like a Sidekiq process.
      resources: sidekiqResources(concurrency),
      annotations: {
        'argocd.argoproj.io/hook': 'PostSync',
        'argocd.argoproj.io/hook-delete-policy': 'HookFailed',
        'argocd.argoproj.io/sync-wave': SYNC_WAVE,
      },
      backoffLimit: BACKOFF_LIMIT,
      activeDeadlineSeconds: RUN_LIMIT_SECONDS,
    });
  }
}
