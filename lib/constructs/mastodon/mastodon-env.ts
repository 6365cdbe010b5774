import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RequiredSecret } from '../../core/env';
import { MountedFiles } from '../../core/mounted-files';
import { objectLabels } from '../common/labels';

/** The environment of Mastodon's processes. */
export interface MastodonEnvironment {
  /** Non-secret settings every process reads (the ConfigMap). */
  readonly shared: Readonly<Record<string, string>>;
  /** What Rails processes (web, Sidekiq, tasks) add: secret references and their URLs. */
  readonly rails: readonly k8s.EnvVar[];
  /** What the streaming server adds. */
  readonly streaming: readonly k8s.EnvVar[];
  /** Every Secret key the instance references. */
  readonly requiredSecrets: readonly RequiredSecret[];
  /** Read-only files (CA bundles) the Rails pods and the streaming pods mount. */
  readonly files: { readonly rails: MountedFiles; readonly streaming: MountedFiles };
}

/** The ConfigMap every Mastodon process loads with `envFrom`. */
export const MASTODON_ENV_CONFIGMAP = 'mastodon-env';

export interface MastodonEnvProps {
  readonly instanceId: string;
  readonly env: MastodonEnvironment;
}

/**
 * The environment shared by Mastodon's processes: a ConfigMap with the non-secret settings, and the
 * secret references each process type adds to it.
 */
export class MastodonEnv extends Construct {
  public readonly configMap: k8s.KubeConfigMap;
  /** Content hash of the ConfigMap's data; pods carry it so that a change rolls them. */
  public readonly configHash: string;
  public readonly model: MastodonEnvironment;
  /** `envFrom` for every Mastodon container. */
  public readonly envFrom: readonly k8s.EnvFromSource[];

  constructor(scope: Construct, id: string, props: MastodonEnvProps) {
    super(scope, id);
    const name = MASTODON_ENV_CONFIGMAP;
    this.model = props.env;
    this.configHash = createHash('sha256').update(JSON.stringify(this.model.shared)).digest('hex').slice(0, 16);
    this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name, labels: objectLabels(props.instanceId, 'config') },
      data: { ...this.model.shared },
    });
    this.envFrom = [{ configMapRef: { name } }];
  }

  /**
   * The complete Rails environment as literal env vars plus secret references, for pods that must
   * not depend on the ConfigMap (Argo CD PreSync hooks run before the sync creates it).
   */
  public inlineEnv(): k8s.EnvVar[] {
    const literal = Object.entries(this.model.shared).map(([name, value]) => ({ name, value }));
    return [...literal, ...this.model.rails];
  }
}
