import { IN_CLUSTER_SERVER } from '../lib/argocd/settings';
import { DEFAULT_TARGET_CPU_UTILIZATION, MIN_AVAILABLE_REPLICAS } from '../lib/availability/replicas';
import { DEFAULT_DATABASE_SCHEDULE, DEFAULT_MAX_DUMP_SIZE, DEFAULT_POSTGRES_VERSION, DEFAULT_RETENTION_DAYS } from '../lib/backup/database-backup';
import { DEFAULT_MEDIA_SCHEDULE } from '../lib/backup/media-backup';
import { DEFAULT_PORTS } from '../lib/config/ports';
import { emitSchemas, SchemaDefaults } from '../lib/config/schema/emit';
import {
  DEFAULT_DRAGONFLY_PASSWORD,
  DEFAULT_DRAGONFLY_REPLICAS,
  DEFAULT_SNAPSHOT_CRON,
  DEFAULT_SNAPSHOT_STORAGE_CLASS,
  DRAGONFLY_IMAGE,
} from '../lib/dragonfly/defaults';
import { DEFAULT_APP_SECRET } from '../lib/mastodon/env';
import { DEFAULT_SEARCH_DEPLOY_BATCH_SIZE, DEFAULT_SEARCH_DEPLOY_CONCURRENCY, DEFAULT_SEARCH_REINDEX } from '../lib/mastodon/search-deploy';
import { SIDEKIQ_AUTOSCALING } from '../lib/sizing/sidekiq-autoscaling';
import { STREAMING_DEFAULTS, WEB_DEFAULTS } from '../lib/sizing/defaults';

/**
 * The `default` of each setting in the emitted JSON Schemas, taken from the values the renderer
 * uses, so editors offer what a left-out setting renders as. A test renders every one of them left
 * out and set to this value and expects the same output (test/config/schema-defaults.test.ts).
 *
 * The values marked `literal` are written as bare literals where the renderer resolves them (the
 * file is named); they belong in the one table of defaults that issue 13 introduces, and this table
 * should then read them from there. Settings whose default depends on another setting
 * (edge.className, networkPolicy.edge, a Dragonfly's snapshot.enabled and resources) have none.
 */
export const SCHEMA_DEFAULTS: SchemaDefaults = {
  instance: {
    'mastodon.singleUserMode': false, // literal: lib/mastodon/env.ts (`flag`)
    'mastodon.authorizedFetch': false, // literal: lib/mastodon/env.ts
    'mastodon.limitedFederationMode': false, // literal: lib/mastodon/env.ts (`flag`)
    'mastodon.logLevel': 'warn', // literal: lib/mastodon/env.ts
    'mastodon.defaultLocale': 'en', // literal: lib/mastodon/env.ts
    'web.replicas': MIN_AVAILABLE_REPLICAS,
    'web.workers': WEB_DEFAULTS.workers,
    'web.threads': WEB_DEFAULTS.threads,
    'web.autoscaling.minReplicas': MIN_AVAILABLE_REPLICAS,
    'web.autoscaling.targetCpuUtilization': DEFAULT_TARGET_CPU_UTILIZATION,
    'streaming.replicas': MIN_AVAILABLE_REPLICAS,
    'streaming.dbPool': STREAMING_DEFAULTS.dbPool,
    'streaming.autoscaling.minReplicas': MIN_AVAILABLE_REPLICAS,
    'streaming.autoscaling.targetCpuUtilization': DEFAULT_TARGET_CPU_UTILIZATION,
    'database.sslmode': 'require', // literal: lib/mastodon/env.ts, lib/config/database-tls-check.ts
    'database.preparedStatements': false, // literal: lib/mastodon/env.ts (`flag`)
    'database.pool.port': DEFAULT_PORTS.databasePool,
    'database.direct.port': DEFAULT_PORTS.databaseDirect,
    'redis.mastodon.dragonfly.replicas': DEFAULT_DRAGONFLY_REPLICAS,
    'redis.mastodon.dragonfly.image': DRAGONFLY_IMAGE,
    'redis.mastodon.dragonfly.password': DEFAULT_DRAGONFLY_PASSWORD,
    'redis.mastodon.dragonfly.snapshot.cron': DEFAULT_SNAPSHOT_CRON,
    'redis.mastodon.dragonfly.snapshot.storageClassName': DEFAULT_SNAPSHOT_STORAGE_CLASS,
    'redis.mastodon.external.port': DEFAULT_PORTS.redis,
    'redis.mastodon.external.db': 0, // literal: lib/redis/endpoint.ts
    'redis.mastodon.external.tls': false, // literal: lib/redis/endpoint.ts
    'storage.s3.permission': 'public-read', // literal: lib/mastodon/integrations-env.ts
    'smtp.port': DEFAULT_PORTS.smtp,
    'smtp.authMethod': 'plain', // literal: lib/mastodon/integrations-env.ts
    'smtp.enableStarttls': 'always', // literal: lib/mastodon/integrations-env.ts
    'smtp.opensslVerifyMode': 'peer', // literal: lib/mastodon/integrations-env.ts
    'smtp.bulk.port': DEFAULT_PORTS.smtp,
    'smtp.bulk.authMethod': 'plain',
    'smtp.bulk.enableStarttls': 'always',
    'smtp.bulk.opensslVerifyMode': 'peer',
    'search.port': DEFAULT_PORTS.search,
    'search.preset': 'single_node_cluster', // literal: lib/mastodon/integrations-env.ts
    'search.deploy.enabled': true, // literal: charts/search-chart.ts, lib/sizing/workloads.ts (`enabled !== false`)
    'search.deploy.concurrency': DEFAULT_SEARCH_DEPLOY_CONCURRENCY,
    'search.deploy.batchSize': DEFAULT_SEARCH_DEPLOY_BATCH_SIZE,
    'search.deploy.reindex': DEFAULT_SEARCH_REINDEX,
    'translation.deepl.plan': 'free', // literal: lib/mastodon/integrations-env.ts
    'secrets.name': DEFAULT_APP_SECRET,
    'edge.tls.issuer': 'production', // literal: lib/edge/defaults.ts
    'certManager.solver': 'http01', // literal: lib/config/edge-checks.ts and lib/cert-manager/
    'networkPolicy.egress': 'open', // literal: lib/network/mastodon-network-policies.ts
    'argocd.targetRevision': 'HEAD', // literal: lib/argocd/settings.ts
    'argocd.path': 'dist', // literal: lib/argocd/settings.ts
    'argocd.namespace': 'argocd', // literal: lib/argocd/settings.ts
    'argocd.server': IN_CLUSTER_SERVER,
    'argocd.operators': 'auto', // literal: lib/argocd/operators.ts
    'backups.database.schedule': DEFAULT_DATABASE_SCHEDULE,
    'backups.database.retentionDays': DEFAULT_RETENTION_DAYS,
    'backups.database.postgresVersion': DEFAULT_POSTGRES_VERSION,
    'backups.database.maxDumpSize': DEFAULT_MAX_DUMP_SIZE,
    'backups.media.schedule': DEFAULT_MEDIA_SCHEDULE,
  },
  queuePlan: {
    'pools.*.autoscaling.pollingIntervalSeconds': SIDEKIQ_AUTOSCALING.pollingIntervalSeconds,
  },
};

/** The schema files' text, by file name (scripts/schemas.js writes or checks them). */
export function schemaFiles(): Record<string, string> {
  return emitSchemas(SCHEMA_DEFAULTS);
}
