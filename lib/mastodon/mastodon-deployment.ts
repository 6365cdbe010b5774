import { ApiObjectMetadata, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ContainerResources } from '../sizing/resources';
import { Component, LABEL_VERSION, objectLabels, selectorLabels } from './labels';
import { containerSecurityContext, podSecurityContext } from './pod-security';

/** Annotation on pod templates carrying the hash of the shared ConfigMap: a change rolls the pods. */
export const CONFIG_HASH_ANNOTATION = 'mastodon-cdk8s.io/config-hash';

/** A writable directory on an emptyDir (the root filesystem is read-only). */
export interface ScratchDir {
  readonly name: string;
  readonly mountPath: string;
  /** @default no limit */
  readonly sizeLimit?: string;
}

export interface MastodonDeploymentProps {
  /** The Deployment's name (`web`, `sidekiq-default`). */
  readonly name: string;
  readonly instance: string;
  readonly component: Component;
  /** Extra selector labels (the Sidekiq pool). @default none */
  readonly extraSelectorLabels?: Readonly<Record<string, string>>;
  /** The Mastodon release, for `app.kubernetes.io/version`. */
  readonly version: string;
  readonly image: string;
  readonly command: readonly string[];
  /** @default none */
  readonly args?: readonly string[];
  readonly replicas: number;
  /** ConfigMap read with envFrom. */
  readonly envFrom: readonly k8s.EnvFromSource[];
  /** Container env, in order (later entries may interpolate earlier ones with `$(VAR)`). */
  readonly env: readonly k8s.EnvVar[];
  readonly configHash: string;
  readonly resources: ContainerResources;
  /** @default no port */
  readonly port?: { readonly name: string; readonly containerPort: number };
  /** @default none */
  readonly startupProbe?: k8s.Probe;
  /** @default none */
  readonly readinessProbe?: k8s.Probe;
  /** @default none */
  readonly livenessProbe?: k8s.Probe;
  /** @default none */
  readonly lifecycle?: k8s.Lifecycle;
  readonly scratchDirs: readonly ScratchDir[];
  /** @default RollingUpdate with maxSurge 25% and maxUnavailable 25% */
  readonly strategy?: k8s.DeploymentStrategy;
  /** @default Duration.seconds(30) */
  readonly terminationGracePeriod?: Duration;
}

/**
 * One Mastodon process type as a Deployment: a single `mastodon` container running as UID/GID 991
 * under the restricted pod security profile, selected by semantic labels only.
 */
export class MastodonDeployment extends Construct {
  public readonly deployment: k8s.KubeDeployment;
  /** The labels that select this Deployment's pods (for Services, PDBs, policies). */
  public readonly selector: Readonly<Record<string, string>>;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: MastodonDeploymentProps) {
    super(scope, id);
    const extra = props.extraSelectorLabels ?? {};
    const terminationGracePeriod = props.terminationGracePeriod ?? Duration.seconds(30);
    this.name = props.name;
    this.selector = selectorLabels(props.instance, props.component, extra);
    const labels = { ...objectLabels(props.instance, props.component, extra), [LABEL_VERSION]: props.version };
    const metadata: ApiObjectMetadata = { name: props.name, labels };

    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata,
      spec: {
        replicas: props.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selector },
        strategy: props.strategy,
        template: {
          metadata: { labels, annotations: { [CONFIG_HASH_ANNOTATION]: props.configHash } },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(),
            terminationGracePeriodSeconds: terminationGracePeriod.toSeconds(),
            containers: [{
              name: 'mastodon',
              image: props.image,
              imagePullPolicy: 'IfNotPresent',
              command: [...props.command],
              args: props.args ? [...props.args] : undefined,
              envFrom: [...props.envFrom],
              env: [...props.env],
              ports: props.port ? [{ name: props.port.name, containerPort: props.port.containerPort, protocol: 'TCP' }] : undefined,
              resources: {
                requests: quantities(props.resources.requests),
                limits: quantities(props.resources.limits),
              },
              startupProbe: props.startupProbe,
              readinessProbe: props.readinessProbe,
              livenessProbe: props.livenessProbe,
              lifecycle: props.lifecycle,
              securityContext: containerSecurityContext(),
              volumeMounts: props.scratchDirs.map((d) => ({ name: d.name, mountPath: d.mountPath })),
            }],
            volumes: props.scratchDirs.map((d) => ({
              name: d.name,
              emptyDir: d.sizeLimit ? { sizeLimit: k8s.Quantity.fromString(d.sizeLimit) } : {},
            })),
          },
        },
      },
    });
  }
}

function quantities(q: { readonly cpu?: string; readonly memory: string }): Record<string, k8s.Quantity> {
  const out: Record<string, k8s.Quantity> = {};
  if (q.cpu) out.cpu = k8s.Quantity.fromString(q.cpu);
  out.memory = k8s.Quantity.fromString(q.memory);
  return out;
}
