import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { syncWave } from '../argocd/annotations';
import { DatabaseConfig } from '../config/types';
import { railsTaskResources } from '../sizing/resources';
import { MastodonEnv } from './mastodon-env';
import { MastodonJob } from './mastodon-job';

/** DigitalOcean's direct PostgreSQL port (the PgBouncer pools listen on 25061). */
export const DEFAULT_DIRECT_PORT = 25060;

/**
 * Mastodon leaves `db/post_migrate` out of the migration paths when this variable is set to any
 * value at all, "false" included (lib/mastodon/database.rb), so it is set only where wanted.
 */
export const SKIP_POST_DEPLOYMENT = 'SKIP_POST_DEPLOYMENT_MIGRATIONS';

/**
 * Waves inside the mastodon Application (its Deployments are in wave 0): Argo CD starts a wave
 * when the one before is healthy, and a Job is healthy when it has completed.
 */
export const PREPARE_WAVE = -2;
export const PRE_DEPLOY_WAVE = -1;
export const POST_DEPLOY_WAVE = 1;

/** Large instances' data migrations can run for hours; the deadline only ends a hung Job. */
export const MIGRATION_DEADLINE_SECONDS = 4 * 60 * 60;

export interface DatabaseMigrationsProps {
  readonly instanceId: string;
  readonly version: string;
  readonly env: MastodonEnv;
  readonly database: DatabaseConfig;
}

/**
 * Mastodon's schema migrations as plain Jobs in the mastodon Application's sync waves, each of
 * which runs once:
 *
 * - `db-prepare` (wave −2), named for no version so it runs once in the life of the instance:
 *   `rails db:prepare` loads db/schema.rb and the seeds when the database has no
 *   schema_migrations table yet (a managed database exists, empty), and only migrates a database
 *   that has one. It keeps the post-deployment migrations in the migration paths: loading the
 *   schema records exactly the migrations in those paths as applied, and with them skipped the
 *   post-deployment Job would later re-run years of them against a schema that already has them.
 *   (For the same reason the pre-deployment Job must not be the first to meet an empty database.)
 * - `db-migrate-pre-<version>` (wave −1): `rails db:migrate` without the post-deployment
 *   migrations, before the new version's pods start (the old ones keep running meanwhile).
 * - `db-migrate-post-<version>` (wave 1, after web, streaming and Sidekiq are healthy): the full
 *   `rails db:migrate`, which runs the post-deployment migrations (those that drop what only the
 *   old version used).
 *
 * Why not PreSync/PostSync hooks: Argo CD runs hooks on every sync operation, and a hook with
 * the BeforeHookCreation delete policy (the default) is deleted and re-created each time, so a
 * Job named for the version would still run on every sync (any config change, any self-heal).
 * A plain Job is applied like any object: once it exists and has completed it is left as it is
 * (the child Application ignores Job pod templates, see charts/argocd-chart.ts), and the next
 * version's Jobs have new names; the old ones are pruned at the end of the sync. `db:migrate` is
 * idempotent, so deleting a Job to re-run it is safe; a failed Job fails the sync until it is
 * deleted. Nothing here creates users: no admin Job that fails once the admin exists.
 *
 * All three connect directly to PostgreSQL: PgBouncer in transaction mode cannot run migrations.
 * They carry their whole environment inline: they must not depend on a ConfigMap of the same sync.
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
    const job = (jobId: string, name: string, wave: number, task: string, skipPostDeployment: boolean) => new MastodonJob(this, jobId, {
      name,
      instance: props.instanceId,
      version: props.version,
      command: ['bundle', 'exec', 'rails', task],
      env: migrationEnv(inline, props.database, skipPostDeployment),
      resources: railsTaskResources(),
      annotations: syncWave(wave),
      activeDeadlineSeconds: MIGRATION_DEADLINE_SECONDS,
    });
    this.prepare = job('Prepare', 'db-prepare', PREPARE_WAVE, 'db:prepare', false);
    this.preDeploy = job('PreDeploy', `db-migrate-pre-${slug}`, PRE_DEPLOY_WAVE, 'db:migrate', true);
    this.postDeploy = job('PostDeploy', `db-migrate-post-${slug}`, POST_DEPLOY_WAVE, 'db:migrate', false);
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
    DB_PORT: String(database.direct.port ?? DEFAULT_DIRECT_PORT),
    DB_NAME: database.direct.name,
    PREPARED_STATEMENTS: 'true',
  };
  const env = inline
    .filter((e) => e.name !== SKIP_POST_DEPLOYMENT)
    .map((e) => (e.name in direct ? { name: e.name, value: direct[e.name] } : e));
  return skipPostDeployment ? [...env, { name: SKIP_POST_DEPLOYMENT, value: 'true' }] : env;
}
