import { Construct } from 'constructs';
import { GroupKind, OperatorId, OperatorSettings, PlatformOperator } from '../../catalog/operators';
import { ArgoApplication } from './argo-application';
import { Destination } from './project';

/** Operators: server-side apply, because their CRDs exceed the client-side apply annotation limit. */
const OPERATOR_SYNC_OPTIONS = ['CreateNamespace=true', 'PruneLast=true', 'ServerSideApply=true'];

export interface OperatorApplicationProps {
  readonly operatorId: OperatorId;
  readonly operator: PlatformOperator;
  readonly settings: OperatorSettings;
  /** The Application's name (`<operator>` or `<operator>-<cluster>`). */
  readonly name: string;
  /** The `app.kubernetes.io/instance` label: the instance or `cluster-<name>` that renders it. */
  readonly owner: string;
  readonly project: string;
  readonly wave: number;
  /** The API server of the cluster it installs into. */
  readonly server: string;
}

/**
 * A cluster-wide operator installed from its pinned upstream Helm chart. Its name is not prefixed
 * with an instance: a second installer into the same cluster collides visibly
 * (FailOnSharedResource on the roots); a named remote cluster keeps clusters apart.
 */
export class OperatorApplication extends ArgoApplication {
  constructor(scope: Construct, id: string, props: OperatorApplicationProps) {
    const { operatorId, operator } = props;
    const values = operator.values(props.settings);
    super(scope, id, {
      instanceId: props.owner,
      project: props.project,
      name: props.name,
      wave: props.wave,
      source: {
        repoUrl: operator.chart.repoURL,
        targetRevision: operator.chart.version,
        // A chart repository names the chart; an OCI artifact is the chart, at its root.
        ...(operator.chart.chart ? { chart: operator.chart.chart } : { path: '.' }),
        helm: { releaseName: operatorId, ...(Object.keys(values).length > 0 ? { valuesObject: values } : {}) },
      },
      destination: { server: props.server, namespace: operator.namespace },
      syncOptions: OPERATOR_SYNC_OPTIONS,
      // Deleting an operator's Application leaves the operator running: a cascade would delete
      // its CRDs and with them every Certificate or Dragonfly of the cluster. It also lets the
      // Application move between roots (instance → cluster file) without touching the operator.
      cascadeDelete: false,
    });
  }
}

/** What an AppProject must allow for these operators: their chart repositories, namespaces and cluster-scoped kinds. */
export function operatorsProjectScope(operators: readonly PlatformOperator[], server: string): { sourceRepos: string[]; destinations: Destination[]; clusterResources: GroupKind[] } {
  return {
    sourceRepos: operators.map((operator) => operator.chart.repoURL),
    destinations: operators.flatMap((operator) => [operator.namespace, ...(operator.extraNamespaces ?? [])].map((namespace) => ({ server, namespace }))),
    clusterResources: operators.flatMap((operator) => operator.clusterResources),
  };
}
