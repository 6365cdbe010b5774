import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { runOncePerNameHook } from '../argocd/annotations';
import { DEFAULT_PORTS } from '../config/ports';
import { DatabaseConfig } from '../config/types';
import { railsTaskResources } from '../sizing/resources';
import { MastodonEnv } from './mastodon-env';
import { MastodonJob } from './mastodon-job';

/**
 * Mastodon leaves `db/post_migrate` out of the migration paths when this variable is set to any
 * value at all, "false" included (lib/mastodon/database.rb), so it is set only where wanted.
 */
export const SKIP_POST_DEPLOYMENT = 'SKIP_POST_DEPLOYMENT_MIGRATIONS';

/**
 * Waves of the hooks within their phase: Argo CD starts a wave when the one before is done, and a
 * hook Job is done when it has completed. PreSync: prepare, then the pre-deployment migrations.
 */
export const PREPARE_WAVE = -2;
export const PRE_DEPLOY_WAVE = -1;
/** PostSync: the post-deployment migrations come first (other PostSync hooks wait for them). */
export const POST_DEPLOY_WAVE = 0;

/** Large instances' data migrations can run for hours; the deadline only ends a hung Job. */
export const MIGRATION_DEADLINE_SECONDS = 4 * 60 * 60;

export interface DatabaseMigrationsProps {
  readonly instanceId: string;
  readonly version: string;
  readonly env: MastodonEnv;
  readonly database: DatabaseConfig;
}

/**
 * Mastodon's schema migrations as Argo CD hooks of the mastodon Application, each of which runs
 * once per name (see `runOncePerNameHook`: HookFailed, so a completed hook is not run again):
 *
 * - `db-prepare` (PreSync, wave −2), named for no version so it runs once in the life of the
 *   instance: `rails db:prepare` loads db/schema.rb and the seeds when the database has no
 *   schema_migrations table yet (a managed database exists, empty), and only migrates a database
 *   that has one. It keeps the post-deployment migrations in the migration paths: loading the
 *   schema records exactly the migrations in those paths as applied, and with them skipped the
 *   post-deployment hook would later re-run years of them against a schema that already has them.
 *   (For the same reason the pre-deployment hook must not be the first to meet an empty database.)
 * - `db-migrate-pre-<version>` (PreSync, wave −1): `rails db:migrate` without the post-deployment
 *   migrations, before the new version's pods start (the old ones keep running meanwhile).
 * - `db-migrate-post-<version>` (PostSync, after web, streaming and Sidekiq are healthy): the full
 *   `rails db:migrate`, which runs the post-deployment migrations (those that drop what only the
 *   old version used).
 *
 * A new version's hooks have new names and run once; the previous version's stay until the
 * namespace goes. `db:migrate` is idempotent, so deleting a hook Job to re-run it is safe; a failed
 * one is deleted and retried at the next sync. Nothing here creates users: no admin Job that fails
 * once the admin exists.
 *
 * All three connect directly to PostgreSQL: PgBouncer in transaction mode cannot run migrations.
 * They carry their whole environment inline: a PreSync hook runs before the sync creates the
 * ConfigMap (on the first sync it does not exist yet).
 * @see https://github.com/rails/rails/blob/main/activerecord/lib/active_record/tasks/database_tasks.rb (prepare_all, initialize_database)
 * @see https://github.com/mastodon/chart/blob/main/templates/_db-migrate.tpl (the same three tasks as Helm hooks)
 */
export class DatabaseMigrations extends Construct {
  public readonly prepare: MastodonJob;
  public readonly preDeploy: MastodonJob;
  public readonly postDeploy: MastodonJob;

  constructor(scope: Construct, id: string, props: DatabaseMigrationsProps) {
    super(scope, id);
    const inline = props.env.inlineEnv();
    const slug = versionSlug(props.version);
    const job = (jobId: string, name: string, hook: Record<string, string>, task: string, skipPostDeployment: boolean) => new MastodonJob(this, jobId, {
      name,
      instance: props.instanceId,
      version: props.version,
      command: ['bundle', 'exec', 'rails', task],
      env: migrationEnv(inline, props.database, skipPostDeployment),
      resources: railsTaskResources(),
      annotations: hook,
      files: props.env.model.files.rails,
      activeDeadlineSeconds: MIGRATION_DEADLINE_SECONDS,
    });
    this.prepare = job('Prepare', 'db-prepare', runOncePerNameHook('PreSync', PREPARE_WAVE), 'db:prepare', false);
    this.preDeploy = job('PreDeploy', `db-migrate-pre-${slug}`, runOncePerNameHook('PreSync', PRE_DEPLOY_WAVE), 'db:migrate', true);
    this.postDeploy = job('PostDeploy', `db-migrate-post-${slug}`, runOncePerNameHook('PostSync', POST_DEPLOY_WAVE), 'db:migrate', false);
  }
}

/** A release tag as a DNS label fragment: `v4.7.2` → `v4-7-2`. */
export function versionSlug(version: string): string {
  return version.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/**
 * The environment of a migration Job: the instance's inline environment with the database
 * switched to the direct connection, where prepared statements work again (Mastodon's default),
 * and the post-deployment migrations skipped or not.
 */
export function migrationEnv(inline: readonly k8s.EnvVar[], database: DatabaseConfig, skipPostDeployment: boolean): k8s.EnvVar[] {
  const direct: Readonly<Record<string, string>> = {
    DB_PORT: String(database.direct.port ?? DEFAULT_PORTS.databaseDirect),
    DB_NAME: database.direct.name,
    PREPARED_STATEMENTS: 'true',
  };
  const env = inline
    .filter((e) => e.name !== SKIP_POST_DEPLOYMENT)
    .map((e) => (e.name in direct ? { name: e.name, value: direct[e.name] } : e));
  return skipPostDeployment ? [...env, { name: SKIP_POST_DEPLOYMENT, value: 'true' }] : env;
}
