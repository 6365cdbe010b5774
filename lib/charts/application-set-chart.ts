import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IN_CLUSTER_SERVER } from '../catalog/argocd';
import { GroupKind } from '../catalog/operators';
import { ArgoApplication } from '../constructs/argocd/argo-application';
import { ArgoProject } from '../constructs/argocd/project';
import { LABEL_ROLLOUT_GROUP, objectLabels } from '../constructs/common/labels';
import { ApplicationSetModel, TEMPLATE_ID } from '../model/application-set';
import { APPLICATION_SET } from '../model/defaults';
import { rootProps } from './bootstrap-chart';
import { PROJECT_WAVE } from './waves';

export interface ApplicationSetChartProps {
  readonly set: ApplicationSetModel;
}

const ARGO_KINDS: readonly GroupKind[] = ['Application', 'AppProject', 'ApplicationSet'].map((kind) => ({ group: 'argoproj.io', kind }));

/**
 * What the ApplicationSet's root syncs (`dist/_argocd/<namespace>/argocd/`): the AppProject of the
 * generated roots, and the ApplicationSet whose list generator (one element per instance, sorted
 * by id) creates every member's root: the Application its `bootstrap/` folder holds, in this
 * project (the instance's platform project is created by its root, so it cannot hold it yet).
 *
 * - `syncPolicy.applicationsSync: create-update`: an instance removed from config keeps its root
 *   (deleting a live instance stays a deliberate act); `preserveResourcesOnDeletion: true`:
 *   deleting the ApplicationSet deletes no root, and adds no resources finalizer to them
 *   (argo-cd v3.5.1 applicationset/controllers/applicationset_controller.go:150-158,
 *   applicationset/utils/utils.go:294-302).
 * - With a rollout group on any member, `strategy: RollingSync`: the roots of each group in turn,
 *   each step once the one before is Healthy (docs/operator-manual/applicationset/Progressive-Syncs.md:53-66);
 *   the controller then turns the roots' automated sync off and syncs them itself
 *   (applicationset/progressivesync/progressive_sync.go:734-755). Beta and off by default: the
 *   README says how to turn it on.
 */
export class ApplicationSetChart extends Chart {
  public readonly project: ArgoProject;
  public readonly applicationSet: ApiObject;

  constructor(scope: Construct, id: string, props: ApplicationSetChartProps) {
    const { set } = props;
    super(scope, id, { namespace: set.namespace, disableResourceNameHashes: true });
    this.project = new ArgoProject(this, 'Project', {
      name: set.project,
      instanceId: set.name,
      wave: PROJECT_WAVE,
      description: `The roots of the Mastodon instances the ApplicationSet ${set.name} generates, and its own root (rendered by mastodon-cdk8s)`,
      sourceRepos: [set.repoURL],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: set.namespace }],
      clusterResources: [],
      namespacedResources: ARGO_KINDS,
    });
    this.applicationSet = new ApiObject(this, 'ApplicationSet', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: set.name, labels: objectLabels(set.name, 'argocd') },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{ list: { elements: set.members.map((m) => ({ id: m.id, rolloutGroup: m.rolloutGroup })) } }],
        template: rootTemplate(set),
        syncPolicy: { applicationsSync: 'create-update', preserveResourcesOnDeletion: true },
        ...(set.progressive ? {
          strategy: {
            type: 'RollingSync',
            rollingSync: {
              steps: APPLICATION_SET.steps.filter((s) => set.members.some((m) => m.rolloutGroup === s.group)).map((s) => ({
                matchExpressions: [{ key: LABEL_ROLLOUT_GROUP, operator: 'In', values: [s.group] }],
                maxUpdate: s.maxUpdate,
              })),
            },
          },
        } : {}),
      },
    });
  }
}

/** The root of an instance as its bootstrap/ folder renders it, with the template's parameters, in the set's project. */
function rootTemplate(set: ApplicationSetModel): Record<string, unknown> {
  const scratch = new Chart(new App(), 'template', { namespace: set.namespace, disableResourceNameHashes: true });
  const root = new ArgoApplication(scratch, 'Root', { ...rootProps(TEMPLATE_ID, set.template), project: set.project });
  const { metadata, spec } = root.application.toJson() as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  // Generated Applications live in the ApplicationSet's namespace.
  const { namespace: _namespace, ...rest } = metadata;
  return { metadata: rest, spec };
}

/** What a person applies once per Argo CD: the root syncing `dist/_argocd/<namespace>/argocd/`. */
export class ApplicationSetRootChart extends Chart {
  public readonly root: ArgoApplication;

  constructor(scope: Construct, id: string, props: ApplicationSetChartProps) {
    const { set } = props;
    super(scope, id, { namespace: set.namespace, disableResourceNameHashes: true });
    this.root = new ArgoApplication(this, 'Root', {
      instanceId: set.name,
      name: set.rootAppName,
      project: set.project,
      wave: 0,
      source: set.gitSource('argocd'),
      destination: { server: IN_CLUSTER_SERVER, namespace: set.namespace },
      syncOptions: rootProps(TEMPLATE_ID, set.template).syncOptions,
    });
  }
}
