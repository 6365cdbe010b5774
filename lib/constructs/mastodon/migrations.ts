import { k8s } from 'cdk8s-plus-28';
import { NodePlacement } from '../../core/placement';
import { ResolvedImage } from '../../core/image';
import { Construct } from 'constructs';
import { recreatedHook } from '../../catalog/argocd';
import { railsTaskResources } from '../../sizing/resources';
import { MastodonEnv } from './mastodon-env';
import { MastodonJob } from './mastodon-job';

/**
 * Mastodon leaves `db/post_migrate` out of the migration paths when this variable is set to any
 * value at all, "false" included (lib/mastodon/database.rb), so it is set only where wanted.
 */
export const SKIP_POST_DEPLOYMENT = 'SKIP_POST_DEPLOYMENT_MIGRATIONS';

/** Waves of the hooks within their phase (one hook per phase today). */
export const PRE_DEPLOY_WAVE = -1;
/** The dump before an upgrade's migrations (lib/constructs/backup/pre-upgrade-backup.ts): the wave before theirs. */
export const PRE_UPGRADE_BACKUP_WAVE = PRE_DEPLOY_WAVE - 1;
/** PostSync: the post-deployment migrations come first. */
export const POST_DEPLOY_WAVE = 0;

/** Large instances' data migrations can run for hours; the deadline only ends a hung Job. */
export const MIGRATION_DEADLINE_SECONDS = 4 * 60 * 60;

/** The hook Jobs' names: fixed, because Argo CD re-creates them at every sync (`recreatedHook`). */
export const PRE_DEPLOY_JOB = 'db-migrate-pre';
export const POST_DEPLOY_JOB = 'db-migrate-post';

export interface DatabaseMigrationsProps {
  readonly instanceId: string;
  readonly version: string;
  /** The Mastodon image, and the Secrets its pods pull it with. */
  readonly image: ResolvedImage;
  /** Where the pods run: nodeSelector, tolerations, node affinity. @default anywhere */
  readonly placement?: NodePlacement;
  readonly env: MastodonEnv;
  /** The database's direct connection (not the pool): migrations cannot run through PgBouncer. */
  readonly direct: DirectConnection;
}

/** A database reached directly, bypassing the pool. */
export interface DirectConnection {
  readonly name: string;
  readonly port: number;
}

/**
 * Mastodon's schema migrations as two Argo CD hooks of the mastodon Application, re-created and run
 * at every sync (`recreatedHook`: `BeforeHookCreation`), which is safe because both tasks only do
 * what is pending:
 *
 * - `db-migrate-pre` (PreSync): `rails db:prepare` with `SKIP_POST_DEPLOYMENT_MIGRATIONS`, before
 *   the new version's pods start (the old ones keep serving). On an empty database (no
 *   schema_migrations table) it loads db/schema.rb and the seeds; Mastodon's `load_schema` adds the
 *   post-deployment migrations to the paths regardless of the variable (`force: true`,
 *   mastodon/mastodon v4.4.0+ lib/active_record/database_tasks_extensions.rb:12,
 *   lib/mastodon/database.rb:30-44), so all of them are recorded as applied. On a database with a
 *   schema it runs the pending migrations except the post-deployment ones.
 * - `db-migrate-post` (PostSync): the full `rails db:migrate`, once web, streaming and Sidekiq of the
 *   new version are rolled out and healthy: the post-deployment migrations (those that drop what
 *   only the old version used).
 *
 * Only a PostSync hook runs without `SKIP_POST_DEPLOYMENT_MIGRATIONS`, and Argo CD starts PostSync
 * only after every PreSync and Sync task of the same operation succeeded: the post-deployment
 * migrations never run before the rollout, on retries neither (test/contracts/argocd-sync.test.ts).
 * Nothing here creates users: no admin Job that fails once the admin exists.
 *
 * Both connect directly to PostgreSQL: PgBouncer in transaction mode cannot run migrations. They
 * carry their whole environment inline: a PreSync hook runs before the sync creates the
 * ConfigMap (on the first sync it does not exist yet).
 * @see https://github.com/rails/rails/blob/main/activerecord/lib/active_record/tasks/database_tasks.rb (prepare_all, initialize_database)
 */
export class DatabaseMigrations extends Construct {
  public readonly preDeploy: MastodonJob;
  public readonly postDeploy: MastodonJob;

  constructor(scope: Construct, id: string, props: DatabaseMigrationsProps) {
    super(scope, id);
    const inline = props.env.inlineEnv();
    const job = (jobId: string, name: string, hook: Record<string, string>, task: string, skipPostDeployment: boolean) => new MastodonJob(this, jobId, {
      name,
      instanceId: props.instanceId,
      version: props.version,
      image: props.image,
      placement: props.placement,
      command: ['bundle', 'exec', 'rails', task],
      env: migrationEnv(inline, props.direct, skipPostDeployment),
      resources: railsTaskResources(),
      annotations: hook,
      files: props.env.model.files.rails,
      activeDeadlineSeconds: MIGRATION_DEADLINE_SECONDS,
    });
    this.preDeploy = job('PreDeploy', PRE_DEPLOY_JOB, recreatedHook('PreSync', PRE_DEPLOY_WAVE), 'db:prepare', true);
    this.postDeploy = job('PostDeploy', POST_DEPLOY_JOB, recreatedHook('PostSync', POST_DEPLOY_WAVE), 'db:migrate', false);
  }
}

/**
 * The environment of a migration Job: the instance's inline environment with the database
 * switched to the direct connection, where prepared statements work again (Mastodon's default),
 * and the post-deployment migrations skipped or not.
 */
export function migrationEnv(inline: readonly k8s.EnvVar[], direct: DirectConnection, skipPostDeployment: boolean): k8s.EnvVar[] {
  const switched: Readonly<Record<string, string>> = {
    DB_PORT: String(direct.port),
    DB_NAME: direct.name,
    PREPARED_STATEMENTS: 'true',
  };
  const env = inline
    .filter((e) => e.name !== SKIP_POST_DEPLOYMENT)
    .map((e) => (e.name in switched ? { name: e.name, value: switched[e.name] } : e));
  return skipPostDeployment ? [...env, { name: SKIP_POST_DEPLOYMENT, value: 'true' }] : env;
}
