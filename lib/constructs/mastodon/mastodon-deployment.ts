import { ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Component, LABEL_VERSION, objectLabels, selectorLabels } from '../common/labels';
import { mastodonPodSpec, MastodonPodSpecProps } from './pod-template';

/** Annotation on pod templates carrying the hash of the shared ConfigMap: a change rolls the pods. */
export const CONFIG_HASH_ANNOTATION = 'mastodon-cdk8s.io/config-hash';

export interface MastodonDeploymentProps extends MastodonPodSpecProps {
  /** The Deployment's name (`web`, `sidekiq-default`). */
  readonly name: string;
  /** The instance id (its config folder's name). */
  readonly instanceId: string;
  readonly component: Component;
  /** Extra selector labels (the Sidekiq pool). @default none */
  readonly extraSelectorLabels?: Readonly<Record<string, string>>;
  /** The Mastodon release, for `app.kubernetes.io/version`. */
  readonly version: string;
  /** Pods. @default none: an autoscaler owns the count, so that Argo CD and it do not fight over it */
  readonly replicas?: number;
  readonly configHash: string;
  /** @default RollingUpdate with maxSurge 25% and maxUnavailable 25% */
  readonly strategy?: k8s.DeploymentStrategy;
}

/**
 * One Mastodon process type as a Deployment of the shared Mastodon pod spec, selected by semantic
 * labels only.
 */
export class MastodonDeployment extends Construct {
  public readonly deployment: k8s.KubeDeployment;
  /** The labels that select this Deployment's pods (for Services, PDBs, policies). */
  public readonly selector: Readonly<Record<string, string>>;
  /** The metadata labels of objects that belong to this workload (PDB, HPA), without the version. */
  public readonly labels: Readonly<Record<string, string>>;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: MastodonDeploymentProps) {
    super(scope, id);
    const extra = props.extraSelectorLabels ?? {};
    this.name = props.name;
    this.selector = selectorLabels(props.instanceId, props.component, extra);
    this.labels = objectLabels(props.instanceId, props.component, extra);
    const labels = { ...this.labels, [LABEL_VERSION]: props.version };
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
          spec: mastodonPodSpec(props),
        },
      },
    });
  }
}
