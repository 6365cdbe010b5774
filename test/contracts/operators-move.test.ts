import { RenderedTree } from '../../lib/app/render';
import { RESOURCES_FINALIZER } from '../../lib/catalog/argocd';
import { clusterFile, configRoot, EXAMPLE_OPERATORS, exampleAs, renderRoot, selecting } from '../clusters/fixture';
import { objectAt, objects } from '../helpers';

/**
 * Moving the operator Applications from an instance's root to a cluster root (config/clusters/),
 * modelled on how Argo CD v3.5.1 syncs an app of apps (argoproj/argo-cd@v3.5.1):
 *
 * - Tracking: a resource belongs to the Application named in its tracking annotation; annotation
 *   tracking is the default (util/settings/settings.go:904-913), and the controller writes the
 *   syncing Application's name into every object it applies (controller/state.go:745).
 * - An Application's live objects: those tracked by it, plus those of its targets that exist
 *   whoever tracks them (gitops-engine/pkg/cache/cluster.go:1547-1552, 1555-1586).
 * - A target object tracked by another Application is a SharedResourceWarning
 *   (controller/state.go:804-813), and with `FailOnSharedResource=true` (our roots) the sync fails
 *   before applying anything (controller/sync.go:156-160); automated sync retries it
 *   (`syncPolicy.retry`).
 * - Pruned: a live object tracked by this Application that is no longer a target
 *   (controller/state.go:941-950 `RequiresPruning`), with `automated.prune` (our roots).
 * - Deleting an Application deletes its resources only with the resources finalizer
 *   (controller/appcontroller.go:1344 `CascadedDeletion`, pkg/apis/application/v1alpha1/types.go:3575-3577);
 *   without it the Application just goes (appcontroller.go:1456) and its resources stay, still
 *   carrying its name, so a new Application of that name finds them as its own.
 */

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; finalizers?: string[] }; spec?: any };
interface Live { obj: Obj; trackedBy: string }

const keyOf = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

class Argo {
  public readonly live = new Map<string, Live>();
  /** What the operators run (Deployments, CRDs…), tracked by their Application; what must never go. */
  public readonly deletedOperatorResources: string[] = [];

  /** An operator Application synced: its chart's resources exist, tracked by it. */
  public runOperators(): void {
    for (const { obj } of [...this.live.values()].filter((l) => l.obj.kind === 'Application' && l.obj.spec.source.helm !== undefined)) {
      const resource: Obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: obj.metadata.name, namespace: obj.spec.destination.namespace } };
      if (!this.live.has(keyOf(resource))) this.live.set(keyOf(resource), { obj: resource, trackedBy: obj.metadata.name });
    }
  }

  /** One sync of a root Application: returns whether it succeeded. */
  public sync(root: string, targets: readonly Obj[], failOnSharedResource: boolean): boolean {
    const targetKeys = new Set(targets.map(keyOf));
    const shared = targets.some((t) => {
      const live = this.live.get(keyOf(t));
      return live !== undefined && live.trackedBy !== root;
    });
    if (failOnSharedResource && shared) return false;
    for (const t of targets) this.live.set(keyOf(t), { obj: t, trackedBy: root });
    for (const [key, live] of [...this.live]) {
      if (live.trackedBy === root && !targetKeys.has(key)) this.delete(key);
    }
    this.runOperators();
    return true;
  }

  private delete(key: string): void {
    const { obj } = this.live.get(key)!;
    this.live.delete(key);
    if (obj.kind === 'Application' && obj.metadata.finalizers?.includes(RESOURCES_FINALIZER)) {
      for (const [k, l] of [...this.live]) {
        if (l.trackedBy === obj.metadata.name) {
          this.live.delete(k);
          this.deletedOperatorResources.push(k);
        }
      }
    }
  }

  public operatorApplications(): { name: string; trackedBy: string; project: string }[] {
    return [...this.live.values()].filter((l) => l.obj.kind === 'Application' && l.obj.metadata.name.match(/^(cert-manager|dragonfly-operator|ingress-nginx)$/))
      .map((l) => ({ name: l.obj.metadata.name, trackedBy: l.trackedBy, project: l.obj.spec.project })).sort((a, b) => a.name.localeCompare(b.name));
  }

  public operatorResources(): string[] {
    return [...this.live.keys()].filter((k) => k.startsWith('Deployment/')).sort();
  }
}

/** The objects a root syncs: every YAML file of a folder of the render. */
function folder(files: RenderedTree, dir: string): Obj[] {
  return [...objects(files)].filter(([file]) => file.startsWith(`${dir}/`)).map(([, object]) => object as Obj);
}

describe('moving the operators from an instance to config/clusters/main.yaml (Argo CD v3.5.1)', () => {
  const before = renderRoot(configRoot({ 'one/instance.yaml': exampleAs('one') })).files;
  const after = renderRoot(configRoot({ 'clusters/main.yaml': clusterFile(EXAMPLE_OPERATORS), 'one/instance.yaml': exampleAs('one', selecting('main')) })).files;
  const FAIL_ON_SHARED = true;

  /** The instance installed from `before`, its operators running. */
  function installed(beforeTree: RenderedTree = before): Argo {
    const argo = new Argo();
    expect(argo.sync('one-root', folder(beforeTree, 'one/argocd'), FAIL_ON_SHARED)).toBe(true);
    expect(argo.operatorResources()).toEqual(['Deployment/cert-manager/cert-manager', 'Deployment/dragonfly-operator-system/dragonfly-operator', 'Deployment/ingress-nginx/ingress-nginx']);
    return argo;
  }

  const moved = [
    { name: 'cert-manager', trackedBy: 'cluster-main-root', project: 'cluster-main' },
    { name: 'dragonfly-operator', trackedBy: 'cluster-main-root', project: 'cluster-main' },
    { name: 'ingress-nginx', trackedBy: 'cluster-main-root', project: 'cluster-main' },
  ];

  test('GIVEN the rendered roots THEN both fail on shared resources and prune automatically, as the model assumes', () => {
    for (const file of ['one/bootstrap/Application.one-root.yaml', 'clusters/main/bootstrap/Application.cluster-main-root.yaml']) {
      const root = objectAt(after, file);
      expect(root.spec.syncPolicy.syncOptions).toContain('FailOnSharedResource=true');
      expect(root.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    }
  });

  test('WHEN the instance root syncs the commit first THEN it prunes the Applications, the operators keep running, and the cluster root re-creates them under the same names', () => {
    const argo = installed();
    expect(argo.sync('one-root', folder(after, 'one/argocd'), FAIL_ON_SHARED)).toBe(true);
    expect(argo.operatorApplications()).toEqual([]);
    expect(argo.operatorResources()).toHaveLength(3);
    expect(argo.sync('cluster-main-root', folder(after, 'clusters/main/argocd'), FAIL_ON_SHARED)).toBe(true);
    expect(argo.operatorApplications()).toEqual(moved);
    expect(argo.deletedOperatorResources).toEqual([]);
    expect(argo.operatorResources()).toHaveLength(3);
  });

  test('WHEN the cluster root syncs first THEN it fails on the shared Applications (nothing applied), the instance root prunes them, and the retry creates them', () => {
    const argo = installed();
    expect(argo.sync('cluster-main-root', folder(after, 'clusters/main/argocd'), FAIL_ON_SHARED)).toBe(false);
    expect(argo.operatorApplications().map((a) => a.trackedBy)).toEqual(['one-root', 'one-root', 'one-root']);
    expect(argo.sync('one-root', folder(after, 'one/argocd'), FAIL_ON_SHARED)).toBe(true);
    expect(argo.sync('cluster-main-root', folder(after, 'clusters/main/argocd'), FAIL_ON_SHARED)).toBe(true);
    expect(argo.operatorApplications()).toEqual(moved);
    expect(argo.deletedOperatorResources).toEqual([]);
  });

  test('the model bites: GIVEN operator Applications with the resources finalizer THEN the move deletes every operator', () => {
    const withFinalizer = new Map([...before].map(([file, text]) => [file, file.includes('/argocd/Application.') && !file.includes('Application.one-')
      ? text.replace('  name: ', `  finalizers:\n    - ${RESOURCES_FINALIZER}\n  name: `) : text]));
    const argo = installed(withFinalizer);
    argo.sync('one-root', folder(after, 'one/argocd'), FAIL_ON_SHARED);
    expect(argo.deletedOperatorResources.sort()).toEqual(['Deployment/cert-manager/cert-manager', 'Deployment/dragonfly-operator-system/dragonfly-operator', 'Deployment/ingress-nginx/ingress-nginx']);
  });

  test('GIVEN a cluster root without FailOnSharedResource THEN it would take the Applications over at once, and the instance root no longer prunes them: no operator deleted either', () => {
    const argo = installed();
    expect(argo.sync('cluster-main-root', folder(after, 'clusters/main/argocd'), false)).toBe(true);
    expect(argo.sync('one-root', folder(after, 'one/argocd'), FAIL_ON_SHARED)).toBe(true);
    expect(argo.operatorApplications()).toEqual(moved);
    expect(argo.deletedOperatorResources).toEqual([]);
  });
});
