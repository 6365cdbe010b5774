import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { MastodonAvailability } from '../constructs/availability/mastodon-availability';
import { SidekiqAutoscaling } from '../constructs/autoscaling/sidekiq-autoscaling';
import { InstanceModel } from '../model/types';
import { RedisEndpoints } from '../catalog/redis';
import { MastodonEnv } from '../constructs/mastodon/mastodon-env';
import { DatabaseMigrations, PRE_UPGRADE_BACKUP_WAVE } from '../constructs/mastodon/migrations';
import { PreUpgradeBackup } from '../constructs/backup/pre-upgrade-backup';
import { SidekiqPool } from '../constructs/mastodon/sidekiq-pool';
import { STREAMING_PORT, WEB_PORT } from '../catalog/mastodon-processes';
import { MastodonStreaming } from '../constructs/mastodon/streaming';
import { MastodonWeb } from '../constructs/mastodon/web';
import { MastodonNetworkPolicies } from '../constructs/network/mastodon-network-policies';
import { PodMonitors } from '../constructs/monitoring/pod-monitors';
import { ScrapePolicies } from '../constructs/monitoring/scrape-policies';
import { SloRules } from '../constructs/monitoring/slo-rules';
import { OperationalRules } from '../constructs/monitoring/operational-rules';
import { GrafanaDashboard } from '../constructs/monitoring/grafana-dashboard';
import { grafanaDashboardProps, metricsTargets, operationalRulesProps } from './metrics-targets';

export interface MastodonChartProps {
  /** Every workload's resolved settings. */
  readonly model: InstanceModel;
  /** Where each Redis role is reached (from the data chart). */
  readonly redis: RedisEndpoints;
}

/**
 * Mastodon's workloads in the instance namespace: the shared env ConfigMap, web (Puma), streaming
 * and one Deployment per Sidekiq pool of the queue plan, with their disruption budgets,
 * autoscalers (HPA for web and streaming, KEDA for the pools that ask), the namespace's
 * NetworkPolicies, and the database migration hooks around them (after a dump, with backups).
 */
export class MastodonChart extends Chart {
  public readonly env: MastodonEnv;
  public readonly web: MastodonWeb;
  public readonly streaming: MastodonStreaming;
  public readonly sidekiqPools: readonly SidekiqPool[];
  public readonly availability: MastodonAvailability;
  public readonly networkPolicies: MastodonNetworkPolicies;
  public readonly migrations: DatabaseMigrations;
  /** With database backups: the dump before the migrations of a new version. */
  public readonly preUpgradeBackup?: PreUpgradeBackup;
  public readonly sidekiqAutoscaling: SidekiqAutoscaling;
  /** With monitoring: a PodMonitor and a scrape policy per workload (Dragonflies included). */
  public readonly monitoring?: { readonly podMonitors: PodMonitors; readonly scrapePolicies: ScrapePolicies; readonly slo: SloRules; readonly operations: OperationalRules; readonly dashboard?: GrafanaDashboard };

  constructor(scope: Construct, id: string, props: MastodonChartProps) {
    const { instanceId, namespace, version, web, streaming, sidekiq, monitoring } = props.model;
    super(scope, id, { namespace, disableResourceNameHashes: true });

    this.env = new MastodonEnv(this, 'Env', { instanceId, env: props.model.env(props.redis) });
    const image = props.model.images.mastodon;
    this.web = new MastodonWeb(this, 'Web', {
      instanceId, version, image, placement: props.model.placement.web, env: this.env,
      replicas: web.replicas, workers: web.workers, threads: web.threads, dbPool: web.dbPool, resources: web.resources,
      metrics: monitoring && { detailed: monitoring.webDetailedMetrics, sidecarResources: monitoring.exporterSidecar.resources },
    });
    this.streaming = new MastodonStreaming(this, 'Streaming', {
      instanceId, version, image: props.model.images.streaming, placement: props.model.placement.streaming, env: this.env,
      replicas: streaming.replicas, dbPool: streaming.dbPool, resources: streaming.resources,
    });
    this.sidekiqPools = sidekiq.map((pool) => new SidekiqPool(this, `Sidekiq-${pool.pool}`, {
      instanceId, version, image, placement: props.model.placement.sidekiq[pool.pool], env: this.env,
      pool: pool.pool, replicas: pool.replicas, threads: pool.threads, dbPool: pool.dbPool, queues: pool.queues, args: pool.args,
      resources: pool.resources, autoscaling: pool.autoscaling,
      metrics: monitoring && { detailed: monitoring.sidekiqDetailedMetrics },
    }));
    this.availability = new MastodonAvailability(this, 'Availability', { web: this.web, streaming: this.streaming, sidekiqPools: this.sidekiqPools });
    this.networkPolicies = new MastodonNetworkPolicies(this, 'NetworkPolicies', {
      instanceId,
      ...props.model.networkPolicy,
      edgeTargets: [{ workload: this.web.workload, port: WEB_PORT }, { workload: this.streaming.workload, port: STREAMING_PORT }],
    });
    this.migrations = new DatabaseMigrations(this, 'Migrations', { instanceId, version, image, placement: props.model.placement.instance, env: this.env, direct: props.model.jobs.migrations.direct });
    const { backupDatabase, backupBeforeUpgrade } = props.model.jobs;
    if (backupDatabase && backupBeforeUpgrade) {
      // In this chart, not with the scheduled backups: Argo CD orders hooks within one Application only.
      const { vault, database, postgresVersion, maxDumpSize } = backupDatabase;
      const images = { postgres: props.model.images.postgres(postgresVersion), rclone: props.model.images.rclone };
      this.preUpgradeBackup = new PreUpgradeBackup(this, 'PreUpgradeBackup', { instanceId, version, name: backupBeforeUpgrade.name, dumpSuffix: backupBeforeUpgrade.dumpSuffix, vault, database, images, maxDumpSize, placement: props.model.placement.instance, wave: PRE_UPGRADE_BACKUP_WAVE });
    }
    this.sidekiqAutoscaling = new SidekiqAutoscaling(this, 'SidekiqAutoscaling', {
      instanceId,
      pools: this.sidekiqPools,
      redis: props.redis.sidekiq,
      redisNamespace: props.model.redisNamespace,
    });
    if (monitoring) {
      const targets = metricsTargets(props.model, this);
      const dashboard = grafanaDashboardProps(props.model, this, targets);
      this.monitoring = {
        podMonitors: new PodMonitors(this, 'PodMonitors', { instanceId, targets, selectorLabels: monitoring.selectorLabels }),
        scrapePolicies: new ScrapePolicies(this, 'ScrapePolicies', { instanceId, targets, scraper: monitoring.scraper }),
        slo: new SloRules(this, 'SloRules', {
          instanceId, namespace, selectorLabels: monitoring.selectorLabels,
          availability: monitoring.slo.availability, burnAlerts: monitoring.slo.burnAlerts,
          // A PodMonitor without jobLabel names its targets' job `<namespace>/<PodMonitor name>`.
          jobs: { web: `${namespace}/${this.web.workload.name}`, streaming: `${namespace}/${this.streaming.workload.name}` },
          webSli: monitoring.webDetailedMetrics,
          runbooks: monitoring.runbooks,
        }),
        operations: new OperationalRules(this, 'OperationalRules', operationalRulesProps(props.model, this, targets)),
        ...(dashboard ? { dashboard: new GrafanaDashboard(this, 'GrafanaDashboard', dashboard) } : {}),
      };
    }
  }
}
