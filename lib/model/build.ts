import { LoadedInstance } from '../config/types';
import { ConnectionUse } from '../sizing/connection-budget';
import { DEFAULTS, Defaults } from './defaults';
import { certManagerModel } from './cert-manager';
import { mastodonEnv } from './env';
import { argoCdSettings } from './argocd';
import { installedOperators, platformNeeds } from './platform';
import { edgeModel } from './edge';
import { redisModel } from './dragonfly';
import { imagesModel } from './images';
import { placementsModel } from './placement';
import { networkPolicyModel } from './network-policy';
import { InstanceModel } from './types';
import { jobsModel } from './jobs';
import { monitoringModel } from './monitoring';
import { secretsSettings } from './secrets';
import { sidekiqPoolModel, streamingModel, webModel } from './workloads';

/**
 * The instance's model: every default resolved once, from `defaults` (the one table; a parameter
 * so a test can change a default and see everything that depends on it change).
 */
export function buildModel(loaded: LoadedInstance, defaults: Defaults = DEFAULTS): InstanceModel {
  const { instance, queuePlan } = loaded;
  const web = webModel(instance, defaults);
  const streaming = streamingModel(instance, defaults);
  const sidekiq = Object.entries(queuePlan.pools).map(([pool, config]) => sidekiqPoolModel(pool, config));
  const jobs = jobsModel(loaded.id, instance, defaults);
  const certManager = certManagerModel(loaded.id, instance, defaults);
  const edge = edgeModel(loaded.id, instance, defaults);
  const images = imagesModel(instance, instance.mastodon.version, defaults, defaults.dragonfly.image);
  const redis = redisModel(instance, defaults, images);
  const monitoring = monitoringModel(instance, defaults);
  const uses: ConnectionUse[] = [
    ...[web, streaming, ...sidekiq].map((w) => w.db),
    jobs.migrations.db,
    ...(jobs.searchDeploy ? [jobs.searchDeploy.db] : []),
    ...(jobs.owner ? [jobs.owner.db] : []),
    ...(jobs.backupDatabase ? [jobs.backupDatabase.db] : []),
    ...(jobs.backupBeforeUpgrade ? [jobs.backupBeforeUpgrade.db] : []),
    ...jobs.maintenance.map((job) => job.db),
  ];
  const { size, planMemoryGiB } = instance.database.pool;
  return {
    instanceId: loaded.id,
    namespace: instance.namespace,
    version: instance.mastodon.version,
    web,
    streaming,
    sidekiq,
    jobs,
    env: (endpoints) => mastodonEnv(instance, endpoints, defaults),
    ...(instance.mastodon.extraEnv?.REDIS_NAMESPACE !== undefined ? { redisNamespace: instance.mastodon.extraEnv.REDIS_NAMESPACE } : {}),
    argocd: argoCdSettings(loaded.id, instance.argocd, defaults),
    // With a cluster file, its cluster root installs the operators (lib/app/render-clusters.ts).
    platform: { needs: platformNeeds(instance, queuePlan, defaults), operators: loaded.cluster ? [] : installedOperators(instance, queuePlan, defaults) },
    ...(edge ? { edge } : {}),
    redis,
    networkPolicy: networkPolicyModel(instance, redis, defaults),
    ...(certManager ? { certManager } : {}),
    ...(monitoring ? { monitoring } : {}),
    secrets: secretsSettings(loaded.id, instance, redis, defaults),
    connections: { uses, poolSize: size, planMemoryGiB },
    images,
    placement: placementsModel(instance, queuePlan),
  };
}
