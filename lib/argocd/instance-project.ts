import { Construct } from 'constructs';
import { AppProject } from '../../imports/appproject-argoproj.io';
import { objectLabels } from '../mastodon/labels';
import { syncWave } from './annotations';
import { GroupKind } from './operators';
import { PROJECT_WAVE } from './waves';

export interface InstanceProjectProps {
  readonly name: string;
  readonly instanceId: string;
  readonly server: string;
  /** The repositories the instance's Applications may read. */
  readonly sourceRepos: readonly string[];
  /** The namespaces they may deploy into. */
  readonly namespaces: readonly string[];
  /** The cluster-scoped kinds they may create. */
  readonly clusterResources: readonly GroupKind[];
}

/**
 * The AppProject of one instance: its Applications may read only the listed repositories, deploy
 * only into the listed namespaces, and create only the listed cluster-scoped kinds. A guard rail
 * against mistakes (a path pointing at another instance, a stray ClusterRole), not a security
 * boundary: whoever writes the repository writes the Applications.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
 */
export class InstanceProject extends Construct {
  public readonly project: AppProject;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: InstanceProjectProps) {
    super(scope, id);
    this.name = props.name;
    this.project = new AppProject(this, 'Resource', {
      metadata: { name: props.name, labels: objectLabels(props.instanceId, 'argocd'), annotations: syncWave(PROJECT_WAVE) },
      spec: {
        description: `Mastodon instance ${props.instanceId} (rendered by mastodon-cdk8s)`,
        sourceRepos: sortedUnique(props.sourceRepos),
        destinations: sortedUnique(props.namespaces).map((namespace) => ({ server: props.server, namespace })),
        clusterResourceWhitelist: uniqueKinds(props.clusterResources),
      },
    });
  }
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function uniqueKinds(kinds: readonly GroupKind[]): GroupKind[] {
  const byKey = new Map(kinds.map((k) => [`${k.group}/${k.kind}`, { group: k.group, kind: k.kind }]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}
