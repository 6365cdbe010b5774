import { Chart } from 'cdk8s';
import { copied, NodePlacement } from '../../core/placement';
import { pullSecrets, ResolvedImage } from '../../core/image';
import { Construct } from 'constructs';
import {
  Dragonfly,
  DragonflySpecResourcesLimits,
  DragonflySpecResourcesRequests,
  DragonflySpecSnapshot,
  DragonflySpecSnapshotPersistentVolumeClaimSpecResourcesRequests,
  DragonflySpecAffinityNodeAffinity, DragonflySpecTolerations,
} from '../../../imports/dragonfly-dragonflydb.io';
import { PRUNE_PROTECTED } from '../../catalog/argocd';
import { SecretKeyRef } from '../../core/env';
import { RedisEndpoint, RedisRole, REDIS_PORT } from '../../catalog/redis';
import { DragonflyResources } from '../../sizing/dragonfly';
import { dragonflyName, dragonflyObjectLabels, dragonflyPodLabels, dragonflySelectorLabels } from '../common/dragonfly-labels';
import { dragonflyContainerSecurityContext, dragonflyPodSecurityContext } from './pod-security';
import { HOSTNAME_TOPOLOGY_KEY } from '../../core/spread';

/**
 * One pod of a role per node. A replica on its master's node goes down with it when the node fails
 * or drains, so the anti-affinity is required rather than preferred (a preference can lose to the
 * scheduler's other scores). With fewer schedulable nodes than replicas the extra replica stays
 * Pending, visibly, while the master serves.
 */

export interface DragonflyStoreProps {
  readonly instanceId: string;
  readonly role: RedisRole;
  /** The Secret key clients authenticate with. */
  readonly password: SecretKeyRef;
  /** Pods, master included. */
  readonly replicas: number;
  /** The image, and the Secrets the operator's pods pull it with (`spec.imagePullSecrets`, copied into the pod: dragonfly-operator v1.6.1 resources.go:202). */
  readonly image: ResolvedImage;
  /**
   * Where the operator runs the pods: it copies spec.nodeSelector, tolerations and affinity into
   * the StatefulSet's pod template (dragonfly-operator v1.6.1 internal/resources/resources.go:459-469).
   * @default anywhere
   */
  readonly placement?: NodePlacement;
  /** Server flags. */
  readonly args: readonly string[];
  /** Dragonfly sizes its threads from the CPU limit and maxmemory from the memory limit. */
  readonly resources: DragonflyResources;
  /** Snapshots to a volume. @default none: no persistence */
  readonly snapshot?: DragonflySnapshot;
}

/** Where and how often a Dragonfly saves its data. */
export interface DragonflySnapshot {
  readonly cron: string;
  readonly storageClassName: string;
  /** The volume's size. */
  readonly size: string;
}

/**
 * One Redis role served by a Dragonfly (`dragonflydb.io/v1alpha1`, operator v1.6.1) named
 * `dragonfly-<role>`: a master and replicas with failover, a Service of the same name on 6379,
 * password authentication, restricted pod security, and snapshots to a volume per pod.
 *
 * The operator owns the pods' `app` and `app.kubernetes.io/*` labels and refuses a Dragonfly whose
 * `podMetadata` sets one (lib/catalog/dragonfly-operator.ts), so the pods get only our `mastodon-cdk8s.io/*` labels
 * on top of the operator's, and every selector of ours uses those two sets.
 *
 * The operator also creates a NetworkPolicy that admits only pods of the same namespace on 6379
 * (`networkPolicyEnabled`, on by default in v1.6): Mastodon always runs in this namespace.
 * @see https://github.com/dragonflydb/dragonfly-operator
 */
export class DragonflyStore extends Construct {
  /** The object's name, which is also its Service's. */
  public readonly name: string;
  public readonly endpoint: RedisEndpoint;
  public readonly resources: DragonflyResources;

  constructor(scope: Construct, id: string, props: DragonflyStoreProps) {
    super(scope, id);
    const { password } = props;
    this.name = dragonflyName(props.role);
    this.resources = props.resources;
    const selector = dragonflySelectorLabels(props.instanceId, props.role);
    this.endpoint = {
      host: this.name,
      port: REDIS_PORT,
      db: 0,
      tls: false,
      password,
      description: `Dragonfly ${this.name}`,
      inCluster: { namespace: Chart.of(this).namespace!, podSelector: selector },
    };

    new Dragonfly(this, 'Resource', {
      // Holds data (snapshots): Argo CD must never prune or cascade-delete it.
      metadata: { name: this.name, labels: dragonflyObjectLabels(props.instanceId, props.role), annotations: { ...PRUNE_PROTECTED } },
      spec: {
        replicas: props.replicas,
        image: props.image.reference,
        imagePullSecrets: pullSecrets(props.image),
        // The operator's default is Always: every restart would depend on the registry.
        imagePullPolicy: 'IfNotPresent',
        args: [...props.args],
        authentication: { passwordFromSecret: { name: password.name, key: password.key } },
        resources: {
          requests: {
            cpu: DragonflySpecResourcesRequests.fromString(this.resources.requests.cpu),
            memory: DragonflySpecResourcesRequests.fromString(this.resources.requests.memory),
          },
          limits: {
            cpu: DragonflySpecResourcesLimits.fromString(this.resources.limits.cpu),
            memory: DragonflySpecResourcesLimits.fromString(this.resources.limits.memory),
          },
        },
        snapshot: props.snapshot ? this.snapshot(props.snapshot) : undefined,
        podMetadata: { labels: dragonflyPodLabels(props.instanceId, props.role) },
        podSecurityContext: dragonflyPodSecurityContext(),
        containerSecurityContext: dragonflyContainerSecurityContext(),
        nodeSelector: props.placement?.nodeSelector ? { ...props.placement.nodeSelector } : undefined,
        tolerations: props.placement?.tolerations ? copied([...props.placement.tolerations]) as DragonflySpecTolerations[] : undefined,
        affinity: {
          ...(props.placement?.nodeAffinity ? { nodeAffinity: copied(props.placement.nodeAffinity) as DragonflySpecAffinityNodeAffinity } : {}),
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: HOSTNAME_TOPOLOGY_KEY, labelSelector: { matchLabels: { ...selector } } }],
          },
        },
        networkPolicyEnabled: true,
      },
    });
  }

  private snapshot(snapshot: DragonflySnapshot): DragonflySpecSnapshot {
    return {
      cron: snapshot.cron,
      persistentVolumeClaimSpec: {
        storageClassName: snapshot.storageClassName,
        accessModes: ['ReadWriteOnce'],
        resources: {
          requests: {
            storage: DragonflySpecSnapshotPersistentVolumeClaimSpecResourcesRequests.fromString(snapshot.size),
          },
        },
      },
    };
  }
}
