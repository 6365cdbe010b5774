import { Construct } from 'constructs';
import { AppProject } from '../../../imports/appproject-argoproj.io';
import { objectLabels } from '../common/labels';
import { syncWave } from '../../catalog/argocd';
import { GroupKind } from '../../catalog/operators';

/** An Application destination: a cluster's API server and a namespace in it. */
export interface Destination {
  readonly server: string;
  readonly namespace: string;
}

export interface ArgoProjectProps {
  readonly name: string;
  readonly instanceId: string;
  readonly description: string;
  /** Its sync wave in the root Application: before the Applications it holds. */
  readonly wave: number;
  /** The repositories its Applications may read. */
  readonly sourceRepos: readonly string[];
  /** Where they may deploy. */
  readonly destinations: readonly Destination[];
  /** The cluster-scoped kinds they may create. */
  readonly clusterResources: readonly GroupKind[];
  /** The namespaced kinds they may create. @default every kind */
  readonly namespacedResources?: readonly GroupKind[];
}

/**
 * An AppProject: its Applications may read only the listed repositories, deploy only to the listed
 * destinations, and create only the listed kinds.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
 */
export class ArgoProject extends Construct {
  public readonly project: AppProject;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ArgoProjectProps) {
    super(scope, id);
    this.name = props.name;
    this.project = new AppProject(this, 'Resource', {
      metadata: { name: props.name, labels: objectLabels(props.instanceId, 'argocd'), annotations: syncWave(props.wave) },
      spec: {
        description: props.description,
        sourceRepos: sortedUnique(props.sourceRepos),
        destinations: uniqueDestinations(props.destinations),
        clusterResourceWhitelist: uniqueKinds(props.clusterResources),
        namespaceResourceWhitelist: props.namespacedResources ? uniqueKinds(props.namespacedResources) : undefined,
      },
    });
  }
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function uniqueDestinations(destinations: readonly Destination[]): Destination[] {
  const byKey = new Map(destinations.map((d) => [`${d.server} ${d.namespace}`, { server: d.server, namespace: d.namespace }]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

export function uniqueKinds(kinds: readonly GroupKind[]): GroupKind[] {
  const byKey = new Map(kinds.map((k) => [`${k.group}/${k.kind}`, { group: k.group, kind: k.kind }]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}
