import { emitSchemas, SchemaDefaults } from '../lib/config/schema/emit';
import { DEFAULTS } from '../lib/model/defaults';
import { SIDEKIQ_AUTOSCALING } from '../lib/sizing/sidekiq-autoscaling';

const d = DEFAULTS;
const smtp = { port: d.smtp.port, authMethod: d.smtp.authMethod, enableStarttls: d.smtp.enableStarttls, opensslVerifyMode: d.smtp.opensslVerifyMode };

/**
 * The `default` of each setting in the emitted JSON Schemas, read from the one table of defaults
 * the model resolves with (lib/model/defaults.ts), so editors offer what a left-out setting
 * renders as. A test renders every one of them left out and set to this value and expects the same
 * output (test/config/schema-defaults.test.ts). Settings whose default follows from another
 * setting (edge.className, networkPolicy.edge, a Dragonfly's snapshot.enabled and resources, and
 * the DERIVED block) have none.
 */
export const SCHEMA_DEFAULTS: SchemaDefaults = {
  instance: {
    'mastodon.singleUserMode': d.mastodon.singleUserMode,
    'mastodon.authorizedFetch': d.mastodon.authorizedFetch,
    'mastodon.limitedFederationMode': d.mastodon.limitedFederationMode,
    'mastodon.logLevel': d.mastodon.logLevel,
    'mastodon.defaultLocale': d.mastodon.defaultLocale,
    'web.replicas': d.web.replicas,
    'web.workers': d.web.workers,
    'web.threads': d.web.threads,
    'web.autoscaling.minReplicas': d.autoscaling.minReplicas,
    'web.autoscaling.targetCpuUtilization': d.autoscaling.targetCpuUtilization,
    'streaming.replicas': d.streaming.replicas,
    'streaming.dbPool': d.streaming.dbPool,
    'streaming.autoscaling.minReplicas': d.autoscaling.minReplicas,
    'streaming.autoscaling.targetCpuUtilization': d.autoscaling.targetCpuUtilization,
    'database.sslmode': d.database.sslmode,
    'database.preparedStatements': d.database.preparedStatements,
    'database.pool.port': d.database.poolPort,
    'database.direct.port': d.database.directPort,
    'redis.mastodon.dragonfly.replicas': d.dragonfly.replicas,
    'redis.mastodon.dragonfly.image': d.dragonfly.image,
    'redis.mastodon.dragonfly.password': d.dragonfly.password,
    'redis.mastodon.dragonfly.snapshot.cron': d.dragonfly.snapshotCron,
    'redis.mastodon.dragonfly.snapshot.storageClassName': d.dragonfly.storageClassName,
    'redis.mastodon.external.port': d.externalRedis.port,
    'redis.mastodon.external.db': d.externalRedis.db,
    'redis.mastodon.external.tls': d.externalRedis.tls,
    'storage.s3.permission': d.s3.permission,
    ...Object.fromEntries(Object.entries(smtp).flatMap(([k, v]) => [[`smtp.${k}`, v], [`smtp.bulk.${k}`, v]])),
    'search.port': d.search.port,
    'search.preset': d.search.preset,
    'search.deploy.enabled': d.searchDeploy.enabled,
    'search.deploy.concurrency': d.searchDeploy.concurrency,
    'search.deploy.batchSize': d.searchDeploy.batchSize,
    'search.deploy.reindex': d.searchDeploy.reindex,
    'translation.deepl.plan': d.deeplPlan,
    'secrets.name': d.appSecretName,
    'secrets.delivery': d.secrets.delivery,
    'secrets.externalSecrets.refreshInterval': d.secrets.externalSecrets.refreshInterval,
    'edge.tls.issuer': d.edge.tlsIssuer,
    'certManager.solver': d.certManagerSolver,
    'networkPolicy.egress': d.networkPolicy.egress,
    'argocd.targetRevision': d.argocd.targetRevision,
    'argocd.path': d.argocd.path,
    'argocd.namespace': d.argocd.namespace,
    'argocd.server': d.argocd.server,
    'argocd.operators': d.argocd.operators,
    'backups.database.schedule': d.backups.database.schedule,
    'backups.database.retentionDays': d.backups.database.retentionDays,
    'backups.database.postgresVersion': d.backups.database.postgresVersion,
    'backups.database.maxDumpSize': d.backups.database.maxDumpSize,
    'backups.database.beforeUpgrade': d.backups.database.beforeUpgrade,
    'backups.media.schedule': d.backups.media.schedule,
    'maintenance.mediaRemove.enabled': d.maintenance.mediaRemove.enabled,
    'maintenance.mediaRemove.schedule': d.maintenance.mediaRemove.schedule,
    'maintenance.mediaRemove.days': d.maintenance.mediaRemove.days,
    'maintenance.mediaRemove.concurrency': d.maintenance.mediaRemove.concurrency,
    'maintenance.mediaRemove.keepInteracted': d.maintenance.mediaRemove.keepInteracted,
    'maintenance.profileMediaRemove.enabled': d.maintenance.profileMediaRemove.enabled,
    'maintenance.profileMediaRemove.schedule': d.maintenance.profileMediaRemove.schedule,
    'maintenance.profileMediaRemove.mode': d.maintenance.profileMediaRemove.mode,
    'maintenance.profileMediaRemove.days': d.maintenance.profileMediaRemove.days,
    'maintenance.profileMediaRemove.includeFollows': d.maintenance.profileMediaRemove.includeFollows,
    'maintenance.profileMediaRemove.concurrency': d.maintenance.profileMediaRemove.concurrency,
    'maintenance.previewCardsRemove.enabled': d.maintenance.previewCardsRemove.enabled,
    'maintenance.previewCardsRemove.schedule': d.maintenance.previewCardsRemove.schedule,
    'maintenance.previewCardsRemove.days': d.maintenance.previewCardsRemove.days,
    'maintenance.previewCardsRemove.concurrency': d.maintenance.previewCardsRemove.concurrency,
    'maintenance.previewCardsRemove.linkOnly': d.maintenance.previewCardsRemove.linkOnly,
    'maintenance.mediaRemoveOrphans.enabled': d.maintenance.mediaRemoveOrphans.enabled,
    'maintenance.mediaRemoveOrphans.schedule': d.maintenance.mediaRemoveOrphans.schedule,
    'maintenance.accountsPrune.enabled': d.maintenance.accountsPrune.enabled,
    'maintenance.accountsPrune.schedule': d.maintenance.accountsPrune.schedule,
    'maintenance.accountsPrune.concurrency': d.maintenance.accountsPrune.concurrency,
    'maintenance.statusesRemove.enabled': d.maintenance.statusesRemove.enabled,
    'maintenance.statusesRemove.schedule': d.maintenance.statusesRemove.schedule,
    'maintenance.statusesRemove.days': d.maintenance.statusesRemove.days,
    'maintenance.statusesRemove.batchSize': d.maintenance.statusesRemove.batchSize,
    'maintenance.statusesRemove.cleanFollowed': d.maintenance.statusesRemove.cleanFollowed,
    'monitoring.enabled': d.monitoring.enabled,
    'monitoring.scraper.namespace': d.monitoring.scraper.namespace,
    'monitoring.scraper.podLabels': d.monitoring.scraper.podLabels,
    'monitoring.selectorLabels': d.monitoring.selectorLabels,
    'monitoring.webDetailedMetrics': d.monitoring.webDetailedMetrics,
    'monitoring.sidekiqDetailedMetrics': d.monitoring.sidekiqDetailedMetrics,
    'monitoring.slo.availability': d.monitoring.sloAvailability,
    'monitoring.alerts.backups': d.monitoring.alerts.backups,
    'monitoring.alerts.certificates': d.monitoring.alerts.certificates,
    'monitoring.alerts.keda': d.monitoring.alerts.keda,
    'monitoring.alerts.argocd': d.monitoring.alerts.argocd,
    'monitoring.dashboard.enabled': d.monitoring.dashboard.enabled,
    'monitoring.dashboard.label': d.monitoring.dashboard.label,
    'monitoring.dashboard.labelValue': d.monitoring.dashboard.labelValue,
  },
  queuePlan: {
    'pools.*.autoscaling.pollingIntervalSeconds': SIDEKIQ_AUTOSCALING.pollingIntervalSeconds,
  },
  cluster: {
    'argocd.targetRevision': d.argocd.targetRevision,
    'argocd.path': d.argocd.path,
    'argocd.namespace': d.argocd.namespace,
    server: d.argocd.server,
  },
};

/** The schema files' text, by file name (scripts/schemas.js writes or checks them). */
export function schemaFiles(): Record<string, string> {
  return emitSchemas(SCHEMA_DEFAULTS);
}
