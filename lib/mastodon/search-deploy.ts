import { Construct } from 'constructs';
import { runOncePerNameHook } from '../argocd/annotations';
import { SearchDeployConfig } from '../config/types';
import { sidekiqResources } from '../sizing/resources';
import { MastodonEnv } from './mastodon-env';
import { MastodonJob } from './mastodon-job';
import { POST_DEPLOY_WAVE, versionSlug } from './migrations';

/** tootctl's own defaults. */
export const DEFAULT_SEARCH_DEPLOY_CONCURRENCY = 5;
export const DEFAULT_SEARCH_DEPLOY_BATCH_SIZE = 100;
/** After the post-deployment migrations (PostSync too). */
const SEARCH_DEPLOY_WAVE = POST_DEPLOY_WAVE + 1;
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
 * An Argo CD PostSync hook after the post-deployment migrations, named for the version and run
 * once per name like them (`runOncePerNameHook`): the hours-long import is not repeated on every
 * sync, a failed run is retried at the next sync, and a new version gets a new Job. Its pod reads
 * the shared ConfigMap, which exists by PostSync.
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
      name: `search-deploy-${versionSlug(props.version)}`,
      instance: props.instanceId,
      version: props.version,
      command: ['bin/tootctl', 'search', 'deploy', '--concurrency', String(concurrency), '--batch-size', String(batchSize)],
      envFrom: props.env.envFrom,
      env: props.env.model.rails,
      files: props.env.model.files.rails,
      // A Rails process with `concurrency` threads, like a Sidekiq process.
      resources: sidekiqResources(concurrency),
      annotations: runOncePerNameHook('PostSync', SEARCH_DEPLOY_WAVE),
      backoffLimit: BACKOFF_LIMIT,
      activeDeadlineSeconds: RUN_LIMIT_SECONDS,
    });
  }
}
