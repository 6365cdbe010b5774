import { Construct } from 'constructs';
import { SidekiqPoolConfig } from '../config/types';
import { sidekiqResources } from '../sizing/resources';
import { sidekiqArgs } from '../sizing/sidekiq';
import { mastodonImage } from './images';
import { LABEL_SIDEKIQ_POOL } from './labels';
import { MastodonDeployment } from './mastodon-deployment';
import { MastodonEnv } from './mastodon-env';
import { RAILS_TMP, SIDEKIQ_SYSTEM_TMP } from './scratch';

export interface SidekiqPoolProps {
  readonly instanceId: string;
  readonly version: string;
  readonly env: MastodonEnv;
  /** The queue-plan pool name; the Deployment is `sidekiq-<pool>`. */
  readonly pool: string;
  readonly config: SidekiqPoolConfig;
}

/**
 * One Sidekiq pool of the queue plan: `replicas` processes of `threads` threads consuming its
 * queues, with DB_POOL = threads so every thread can hold a connection.
 * @see https://docs.joinmastodon.org/admin/scaling/#sidekiq
 */
export class SidekiqPool extends Construct {
  public readonly workload: MastodonDeployment;
  public readonly pool: string;
  public readonly replicas: number;
  public readonly threads: number;

  constructor(scope: Construct, id: string, props: SidekiqPoolProps) {
    super(scope, id);
    const { config } = props;
    this.pool = props.pool;
    this.replicas = config.replicas;
    this.threads = config.threads;

    this.workload = new MastodonDeployment(this, 'Deployment', {
      name: `sidekiq-${props.pool}`,
      instance: props.instanceId,
      component: 'sidekiq',
      extraSelectorLabels: { [LABEL_SIDEKIQ_POOL]: props.pool },
      version: props.version,
      image: mastodonImage(props.version),
      command: ['bundle', 'exec', 'sidekiq'],
      args: sidekiqArgs(config.threads, config.queues),
      replicas: config.replicas,
      envFrom: props.env.envFrom,
      env: [
        ...props.env.model.rails,
        { name: 'DB_POOL', value: String(config.threads) },
      ],
      configHash: props.env.configHash,
      resources: sidekiqResources(config.threads, config.resources),
      scratchDirs: [RAILS_TMP, SIDEKIQ_SYSTEM_TMP],
    });
  }

  public get dbConnections(): number {
    return this.replicas * this.threads;
  }
}
