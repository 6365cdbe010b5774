import { readDocuments } from '../core/read-yaml';
import { RenderedTree } from '../core/tree';
import { annotationValues, ANNOTATION_SYNC_OPTIONS, isHook } from './argocd-apply';

/**
 * What a change leaves running in the cluster, read from the two rendered trees only: objects that
 * leave `dist/` but that Argo CD v3.5.1 does not delete, or deletes only once someone confirms, and
 * what a deleted Sidekiq pool leaves unconsumed. Facts (argoproj/argo-cd@v3.5.1):
 * - hooks are skipped when the sync builds its tasks, so they are never pruned
 *   (gitops-engine/pkg/sync/sync_context.go:966-970);
 * - `Prune=false` keeps an object that left Git, `Prune=confirm` makes the sync wait until the
 *   pruning is confirmed (sync_context.go:322-342, 1617-1624);
 * - deleting an Application deletes its resources only with the resources finalizer
 *   (pkg/apis/application/v1alpha1/types.go:3575-3577), and then not those marked `Delete=false`
 *   (controller/appcontroller.go:1251-1261), and waits for a confirmation for `Delete=confirm`
 *   (appcontroller.go:1344-1366, controller/state.go:1171-1191);
 * - `argocd app confirm-deletion APPNAME` confirms (cmd/argocd/commands/app.go:3248).
 * dragonflydb/dragonfly-operator@v1.6.1: a Dragonfly's StatefulSet has its name
 * (internal/resources/resources.go:165) and the volume claim template `df` (const.go:42,
 * resources.go:379-388) with the label `app: <name>` (const.go:88), and no PVC retention policy
 * (none in the repository), so Kubernetes keeps the PVCs `df-<name>-<n>` when it is deleted.
 */

/** Something that stays in the cluster after the change is synced, and what to do about it. */
export interface LeftBehind {
  /** `Kind namespace/name`. */
  readonly resource: string;
  /** Its file in the old tree. */
  readonly file: string;
  /** What happens to it, and why. */
  readonly what: string;
  /** The command that removes or confirms it (or checks it). */
  readonly command: string;
}

interface Located {
  readonly file: string;
  readonly object: KubeObject;
}

interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>>; readonly finalizers?: readonly string[]; readonly annotations?: Readonly<Record<string, string>> };
  readonly spec?: Record<string, unknown>;
}

const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const SIDEKIQ_POOL_LABEL = 'mastodon-cdk8s.io/sidekiq-pool';
/** A sync option's value on the object (`Prune=confirm` → `confirm`). */
function syncOption(object: KubeObject, name: 'Prune' | 'Delete'): string | undefined {
  return annotationValues(object, ANNOTATION_SYNC_OPTIONS).find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1);
}

function objectsOf(tree: RenderedTree, files: Iterable<string>): Located[] {
  return [...files].filter((file) => file.endsWith('.yaml')).flatMap((file) => (readDocuments(tree.get(file) ?? '') as (KubeObject | null)[])
    .filter((o): o is KubeObject => o !== null && typeof o === 'object' && typeof o.kind === 'string')
    .map((object) => ({ file, object })));
}

const key = (o: KubeObject) => `${o.apiVersion}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name}`;
const describe = (o: KubeObject) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
const ns = (o: KubeObject) => (o.metadata?.namespace ? ` -n ${o.metadata.namespace}` : '');
const kubectlDelete = (o: KubeObject) => `kubectl${ns(o)} delete ${String(o.kind).toLowerCase()} ${o.metadata?.name}`;

/**
 * The Application that syncs a file: `<instance>-<chart>` for `<instance>/<chart>/…`, the root
 * `<instance>-root` for `<instance>/argocd/…`; none for `bootstrap/` (applied by hand).
 */
function applicationOf(file: string): string | undefined {
  const [instance, chart] = file.split('/');
  if (!chart || chart === 'bootstrap') return undefined;
  return chart === 'argocd' ? `${instance}-root` : `${instance}-${chart}`;
}

/** The queues a Sidekiq Deployment consumes (`-q name[,weight]` in its container's args). */
function queuesOf(o: KubeObject): string[] {
  const containers = ((o.spec?.template as { spec?: { containers?: { args?: string[] }[] } } | undefined)?.spec?.containers) ?? [];
  return containers.flatMap((c) => (c.args ?? []).flatMap((a, i, all) => (all[i - 1] === '-q' ? [a.split(',')[0]] : [])));
}

/**
 * What stays in the cluster when `after` replaces `before`. Only files whose text changed are
 * parsed: an object in an unchanged file is in both trees, so a removed object is one of a changed
 * or removed file of `before` that no changed or new file of `after` holds.
 */
export function leftBehind(before: RenderedTree, after: RenderedTree): LeftBehind[] {
  const changedBefore = [...before.keys()].filter((f) => after.get(f) !== before.get(f));
  const changedAfter = [...after.keys()].filter((f) => before.get(f) !== after.get(f));
  const kept = new Set(objectsOf(after, changedAfter).map(({ object }) => key(object)));
  const removed = objectsOf(before, changedBefore).filter(({ object }) => !kept.has(key(object)));
  if (removed.length === 0) return [];
  // Rendered files are named <Kind>.<name>.yaml.
  const applicationsAfter = new Set([...after.keys()].map((f) => /(?:^|\/)Application\.(.+)\.yaml$/.exec(f)?.[1]).filter((n) => n !== undefined));
  let sidekiqAfter: Located[] | undefined;
  const sidekiqDeployments = () => (sidekiqAfter ??= objectsOf(after, [...after.keys()].filter((f) => /(?:^|\/)Deployment\.sidekiq-[^/]*\.yaml$/.test(f))));
  const found: LeftBehind[] = [];
  const add = (o: Located, what: string, command: string) => found.push({ resource: describe(o.object), file: o.file, what, command });

  for (const entry of removed) {
    const { object, file } = entry;
    const app = applicationOf(file);
    const appDeleted = app !== undefined && !applicationsAfter.has(app);
    if (file.split('/')[1] === 'bootstrap') {
      add(entry, 'applied by hand (bootstrap), so nothing in Git deletes it', kubectlDelete(object));
      continue;
    }
    if (appDeleted) {
      // The Application's deletion (with its finalizer) deletes what it manages, hooks included.
      const del = syncOption(object, 'Delete');
      if (del === 'false') add(entry, `Delete=false: it stays when its Application ${app} is deleted`, kubectlDelete(object));
      else if (del === 'confirm' || syncOption(object, 'Prune') === 'confirm') add(entry, `the deletion of its Application ${app} waits until it is confirmed`, `argocd app confirm-deletion ${app}`);
    } else if (isHook(object)) {
      add(entry, 'an Argo CD hook: hooks are never pruned', kubectlDelete(object));
    } else {
      const prune = syncOption(object, 'Prune');
      if (prune === 'false') add(entry, 'Prune=false: Argo CD leaves it running (the Application shows it as out of sync)', kubectlDelete(object));
      else if (prune === 'confirm') add(entry, `Prune=confirm: the sync of ${app ?? 'its Application'} waits until the pruning is confirmed`, `argocd app confirm-deletion ${app ?? '<application>'}`);
    }
    if (object.kind === 'Application' && !(object.metadata?.finalizers ?? []).includes(RESOURCES_FINALIZER)) {
      const target = (object.spec?.destination as { namespace?: string } | undefined)?.namespace;
      const loadBalancer = object.metadata?.name?.startsWith('ingress-nginx') ? '; its LoadBalancer Service keeps the cloud load balancer (and its bill)' : '';
      add(entry, `deleted without its resources (no ${RESOURCES_FINALIZER}): what it installed keeps running in namespace ${target ?? '?'}${loadBalancer}; remove it once no other instance in the cluster uses it`, `kubectl get all -n ${target ?? '<namespace>'}`);
    }
    if (object.kind === 'Dragonfly' && object.spec?.snapshot) {
      const name = object.metadata?.name;
      add(entry, `its snapshot volumes stay (PersistentVolumeClaims df-${name}-0…${Number(object.spec.replicas ?? 1) - 1}; the operator sets no retention policy), and keep being billed`, `kubectl${ns(object)} delete pvc -l app=${name},app.kubernetes.io/name=dragonfly`);
    }
    const pool = object.metadata?.labels?.[SIDEKIQ_POOL_LABEL];
    if (object.kind === 'Deployment' && pool !== undefined) {
      const instance = object.metadata?.labels?.['app.kubernetes.io/instance'];
      const consumed = new Set(sidekiqDeployments().filter(({ object: o }) => o.kind === 'Deployment' && o.metadata?.labels?.[SIDEKIQ_POOL_LABEL] !== undefined
        && o.metadata?.labels?.['app.kubernetes.io/instance'] === instance).flatMap(({ object: o }) => queuesOf(o)));
      const orphaned = queuesOf(object).filter((q) => !consumed.has(q));
      if (orphaned.length > 0) {
        add(entry, `Argo CD deletes it, and no pool consumes ${orphaned.map((q) => `"${q}"`).join(', ')} any more: jobs waiting there (and those its pods push back when they stop) stay in Redis unprocessed`, `kubectl${ns(object)} exec deploy/web -- bin/rails runner 'puts Sidekiq::Queue.new("${orphaned[0]}").size'`);
      }
    }
  }
  return found;
}

/** The plain-text section (empty when nothing is left behind). */
export function leftBehindText(items: readonly LeftBehind[]): string {
  if (items.length === 0) return '';
  return `\nLeft behind in the cluster (${items.length}):\n${items.map((i) => `! ${i.resource}  (${i.file}): ${i.what}\n    ${i.command}`).join('\n')}\n`;
}

/**
 * The Markdown section as lines (none when nothing is left behind), shown on top of the report with
 * the plan delta, so a report cut to fit a comment keeps it.
 */
export function leftBehindMarkdown(items: readonly LeftBehind[]): string[] {
  if (items.length === 0) return [];
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  return ['#### ⚠️ Left behind in the cluster', '', 'Argo CD will not remove these by itself (README: Runbooks):', '',
    ...items.map((i) => `- ${code(i.resource)} in ${code(i.file)}: ${i.what}: ${code(i.command)}`), ''];
}
