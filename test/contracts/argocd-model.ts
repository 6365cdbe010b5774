/**
 * A small model of how Argo CD v3.5.1 syncs one Application (gitops-engine, in-tree at
 * argoproj/argo-cd@v3.5.1:gitops-engine/pkg/sync/), of a cluster that runs what it applies, and of
 * Mastodon's migrations. Each rule cites the upstream line it models. It is driven by the rendered
 * objects of two configs (the live state from the old one, the target from the new one).
 */

/** A Kubernetes object as rendered. */
export type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec?: any; [k: string]: unknown };

const HOOK = 'argocd.argoproj.io/hook';
const DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
const WAVE = 'argocd.argoproj.io/sync-wave';

/** Phases in order: sync_tasks.go:15-20 (`syncPhaseOrder`), tasks sorted by phase then wave: sync_tasks.go:85-97. */
const PHASES = ['PreSync', 'Sync', 'PostSync'] as const;
type Phase = typeof PHASES[number];

const group = (o: Obj) => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '');
export const keyOf = (o: Obj) => `${group(o)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A hook's phase, or Sync for a plain resource: sync_phase.go:10-27. */
function phaseOf(o: Obj): Phase {
  return (o.metadata.annotations?.[HOOK] as Phase | undefined) ?? 'Sync';
}
const isHook = (o: Obj) => o.metadata.annotations?.[HOOK] !== undefined;
const waveOf = (o: Obj) => Number(o.metadata.annotations?.[WAVE] ?? '0');

/** Delete policies; none annotated means BeforeHookCreation: hook/delete_policy.go:11-26. */
function deletePolicies(o: Obj): string[] {
  const text = o.metadata.annotations?.[DELETE_POLICY];
  return text ? text.split(',').map((p) => p.trim()) : ['BeforeHookCreation'];
}

// ---------------------------------------------------------------------------------------------
// Mastodon's database

/** A Mastodon release's migrations: pre-deployment (db/migrate) and post-deployment (db/post_migrate). */
export interface Release {
  readonly version: string;
  readonly pre: readonly string[];
  readonly post: readonly string[];
}

/** Something the database saw, and which version web served at that moment. */
export interface DbEvent {
  /** `dump`: a pg_dump of the database (empty or not) reached the backup vault. */
  readonly what: 'schema-load' | 'pre' | 'post' | 'dump';
  readonly migration?: string;
  readonly servingVersion: string | undefined;
  /** Whether web of that version was fully rolled out (Deployment healthy). */
  readonly rolledOut: boolean;
}

export class Database {
  /** Versions recorded in schema_migrations; undefined while the database is empty. */
  public applied: Set<string> | undefined;
  public readonly events: DbEvent[] = [];

  constructor(private readonly releases: readonly Release[]) {}

  private known(version: string): Release[] {
    const index = this.releases.findIndex((r) => r.version === version);
    if (index < 0) throw new Error(`the model knows no release ${version}`);
    return this.releases.slice(0, index + 1);
  }

  /**
   * `rails db:prepare` / `db:migrate` of `version`:
   * - an empty database gets db/schema.rb loaded, with the post-deployment migrations among the
   *   recorded ones whatever SKIP_POST_DEPLOYMENT_MIGRATIONS says (Mastodon's `load_schema` calls
   *   `add_post_migrate_path_to_rails(force: true)`: mastodon/mastodon v4.4.0+
   *   lib/active_record/database_tasks_extensions.rb:12, lib/mastodon/database.rb:30-44;
   *   Rails `prepare_all` → `initialize_database` loads the schema when schema_migrations is missing);
   *   in this model only `db:prepare` may meet an empty database (anything else fails loudly, so
   *   a render whose first task is another one cannot pass);
   * - otherwise the pending migrations run, the post-deployment ones only without the variable
   *   (lib/mastodon/database.rb:31, config/initializers/0_post_deployment_migrations.rb:7).
   */
  public run(task: 'db:prepare' | 'db:migrate', version: string, skipPost: boolean, serving: { version: string | undefined; rolledOut: boolean }): boolean {
    const releases = this.known(version);
    const at = { servingVersion: serving.version, rolledOut: serving.rolledOut };
    if (this.applied === undefined) {
      if (task !== 'db:prepare') return false;
      this.applied = new Set(releases.flatMap((r) => [...r.pre, ...r.post]));
      this.events.push({ what: 'schema-load', ...at });
      return true;
    }
    for (const r of releases) {
      for (const m of r.pre) if (!this.applied.has(m)) { this.applied.add(m); this.events.push({ what: 'pre', migration: m, ...at }); }
    }
    if (!skipPost) {
      for (const r of releases) {
        for (const m of r.post) if (!this.applied.has(m)) { this.applied.add(m); this.events.push({ what: 'post', migration: m, ...at }); }
      }
    }
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// The cluster

export interface LiveObj {
  obj: Obj;
  /** For Jobs: how their one run ended. */
  jobStatus?: 'Complete' | 'Failed';
  /** For Deployments: rolled out (Healthy) or past its progress deadline (Degraded). */
  health?: 'Healthy' | 'Degraded';
}

/** What ran, for assertions. */
export interface JobRun {
  readonly name: string;
  readonly command: readonly string[];
  readonly version: string;
}

export class Cluster {
  public readonly live = new Map<string, LiveObj>();
  public readonly jobRuns: JobRun[] = [];
  /**
   * The next rollout of these Deployments goes Degraded (e.g. pods Pending until the cluster
   * autoscaler adds a node) and recovers by the next sync attempt.
   */
  public readonly failNextRollout = new Set<string>();
  /** The next run of these Jobs fails (e.g. the database restarting), once each. */
  public readonly failNextJob = new Set<string>();
  /** Every run of these Jobs fails (e.g. the backup bucket's keys revoked). */
  public readonly failingJobs = new Set<string>();
  /** The names in the backup vault's database folder, as `rclone lsf` lists them. */
  public readonly vault: string[] = [];

  constructor(public readonly db: Database) {}

  private imageVersion(template: any): string {
    return String(template.spec.containers[0].image).split(':').pop()!;
  }

  /** The version web serves, and whether its rollout completed. */
  public serving(): { version: string | undefined; rolledOut: boolean } {
    const web = [...this.live.values()].find((l) => l.obj.kind === 'Deployment' && l.obj.metadata.name === 'web');
    if (!web) return { version: undefined, rolledOut: false };
    return { version: web.health === 'Healthy' ? this.imageVersion(web.obj.spec.template) : (web as any).servedVersion, rolledOut: web.health === 'Healthy' };
  }

  /** Time passes between sync attempts: a Degraded rollout that was transient completes. */
  public settle(): void {
    for (const live of this.live.values()) if (live.health === 'Degraded') live.health = 'Healthy';
  }

  /** Creates an object; a Job runs to its end (synchronously, in this model). */
  public create(obj: Obj): void {
    const live: LiveObj = { obj: clone(obj) };
    this.live.set(keyOf(obj), live);
    if (obj.kind === 'Job') live.jobStatus = this.runJob(obj) ? 'Complete' : 'Failed';
    if (obj.kind === 'Deployment') this.rollOut(live, undefined);
  }

  /**
   * `kubectl apply` over a live object. A Job's `spec.template` is immutable
   * (kubernetes/kubernetes pkg/apis/batch/validation/validation.go `ValidateJobSpecUpdate` →
   * `validatePodTemplateUpdate`); gitops-engine's dry-run is client-side and does not catch it
   * (sync_context.go:506-509), so the wet apply fails.
   */
  public apply(obj: Obj): string | undefined {
    const live = this.live.get(keyOf(obj));
    if (!live) {
      this.create(obj);
      return undefined;
    }
    if (obj.kind === 'Job' && !same(live.obj.spec?.template, obj.spec?.template)) {
      return `Job.batch "${obj.metadata.name}" is invalid: spec.template: Invalid value: field is immutable`;
    }
    const previous = live.obj;
    live.obj = clone(obj);
    if (obj.kind === 'Deployment' && !same(previous.spec.template, obj.spec.template)) this.rollOut(live, this.imageVersion(previous.spec.template));
    return undefined;
  }

  public delete(obj: Obj): void {
    this.live.delete(keyOf(obj));
  }

  private rollOut(live: LiveObj, oldVersion: string | undefined): void {
    if (this.failNextRollout.delete(live.obj.metadata.name)) {
      live.health = 'Degraded';
      (live as any).servedVersion = oldVersion; // the old ReplicaSet keeps serving (maxUnavailable 0)
    } else {
      live.health = 'Healthy';
    }
  }

  private runJob(job: Obj): boolean {
    const container = job.spec.template.spec.containers[0];
    const command: string[] = container.command;
    const version = this.imageVersion(job.spec.template);
    this.jobRuns.push({ name: job.metadata.name, command, version });
    if (this.failNextJob.delete(job.metadata.name) || this.failingJobs.has(job.metadata.name)) return false;
    const dump = (job.spec.template.spec.initContainers ?? []).find((c: any) => c.name === 'dump');
    if (dump) return this.runDump(job);
    const skipPost = (container.env ?? []).some((e: any) => e.name === 'SKIP_POST_DEPLOYMENT_MIGRATIONS');
    const task = command.find((c) => c === 'db:prepare' || c === 'db:migrate') as 'db:prepare' | 'db:migrate' | undefined;
    if (task) return this.db.run(task, version, skipPost, this.serving());
    return true; // tootctl search deploy and the like
  }

  /**
   * A database dump pod (lib/constructs/backup/database-dump.ts, whose scripts
   * test/backup/dump-scripts.test.ts runs with Debian's pg_dump and rclone): with a `check`
   * container it does nothing when the vault lists `<DUMP_NAME>-*<DUMP_SUFFIX>.dump`; otherwise
   * the dump lands in the vault under `<DUMP_NAME>-<stamp><DUMP_SUFFIX>.dump`.
   */
  private runDump(job: Obj): boolean {
    const spec = job.spec.template.spec;
    const env = (c: any, name: string): string => (c.env ?? []).find((e: any) => e.name === name)?.value ?? '';
    const dump = spec.initContainers.find((c: any) => c.name === 'dump');
    const check = spec.initContainers.find((c: any) => c.name === 'check');
    const name = env(dump, 'DUMP_NAME');
    const suffix = env(dump, 'DUMP_SUFFIX');
    if (check && this.vault.some((n) => n.startsWith(`${env(check, 'DUMP_NAME')}-`) && n.endsWith(`${env(check, 'DUMP_SUFFIX')}.dump`))) return true;
    const stamp = `20261130T${String(this.vault.length).padStart(6, '0')}Z`;
    this.vault.push(`${name}-${stamp}${suffix}.dump`);
    this.db.events.push({ what: 'dump', servingVersion: this.serving().version, rolledOut: this.serving().rolledOut });
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// One sync operation of one Application

/** What the model reads from a rendered Application. */
export interface AppSpec {
  readonly syncOptions: readonly string[];
  readonly ignoreDifferences: readonly { group?: string; kind: string; name?: string; namespace?: string; jsonPointers?: readonly string[] }[];
}

export function appSpec(application: Obj): AppSpec {
  return {
    syncOptions: application.spec.syncPolicy?.syncOptions ?? [],
    ignoreDifferences: application.spec.ignoreDifferences ?? [],
  };
}

export interface SyncResult {
  readonly phase: 'Succeeded' | 'Failed';
  readonly message: string;
}

interface Task {
  readonly phase: Phase;
  readonly target?: Obj;
  live?: LiveObj;
}

function pointerGet(o: any, pointer: string): unknown {
  return pointer.split('/').slice(1).reduce((v, k) => (v === undefined ? undefined : v[k]), o);
}
function pointerSet(o: any, pointer: string, value: unknown): void {
  const keys = pointer.split('/').slice(1);
  const last = keys.pop()!;
  const parent = keys.reduce((v, k) => (v[k] ??= {}), o);
  parent[last] = clone(value);
}

/**
 * `RespectIgnoreDifferences=true`: the target of an object that exists is patched with the live
 * values of its ignored fields before the sync applies it (controller/sync.go:236-247,
 * `normalizeTargetResources` :430-488); a new object is applied as rendered
 * (docs/user-guide/sync-options.md:432).
 */
function respectIgnoreDifferences(target: Obj, live: LiveObj | undefined, app: AppSpec): Obj {
  if (!live || !app.syncOptions.includes('RespectIgnoreDifferences=true')) return target;
  const patched = clone(target);
  for (const rule of app.ignoreDifferences) {
    const matches = (rule.group ?? '') === group(target) && rule.kind === target.kind
      && (rule.name === undefined || rule.name === target.metadata.name)
      && (rule.namespace === undefined || rule.namespace === target.metadata.namespace);
    if (matches) for (const p of rule.jsonPointers ?? []) pointerSet(patched, p, pointerGet(live.obj, p));
  }
  return patched;
}

/**
 * Runs one sync operation of an Application whose rendered objects are `targets`, over the
 * cluster's live objects (`managed`: the live objects this Application tracks, hooks included:
 * controller/state.go:744-746 sets the tracking on hooks too).
 */
export function sync(cluster: Cluster, targets: readonly Obj[], app: AppSpec, managed: ReadonlySet<string>): SyncResult {
  cluster.settle();
  // getSyncTasks: plain resources become Sync-phase tasks and hooks tasks of their phase
  // (sync_context.go:955-1004); hooks are never pruned (:966-969). Every task gets the live object
  // of the same group/kind/namespace/name (:1031-1037, liveObj :1239-1250).
  const tasks: Task[] = targets.map((t) => ({ phase: phaseOf(t), target: t, live: cluster.live.get(keyOf(t)) }));
  const targetKeys = new Set(targets.map(keyOf));
  const prunes = [...managed].filter((k) => !targetKeys.has(k) && cluster.live.has(k) && !isHook(cluster.live.get(k)!.obj));

  const hookFailedSweep = () => {
    // On failure, every hook task with a live object and the HookFailed policy is deleted,
    // completed ones included (sync_context.go:625-627, 636-638, 698-701; upstream test
    // TestSync_HooksDeletedAfterSyncFailed, sync_context_test.go:1946-2007).
    for (const t of tasks) {
      const live = t.target && cluster.live.get(keyOf(t.target));
      if (t.target && isHook(t.target) && live && deletePolicies(t.target).includes('HookFailed')) cluster.delete(t.target);
    }
  };

  for (const phase of PHASES) {
    const waves = [...new Set(tasks.filter((t) => t.phase === phase).map((t) => waveOf(t.target!)))].sort((a, b) => a - b);
    for (const wave of waves) {
      // One phase and wave at a time (sync_context.go:659-664).
      for (const task of tasks.filter((t) => t.phase === phase && waveOf(t.target!) === wave)) {
        const target = task.target!;
        if (isHook(target) && task.live && deletePolicies(target).includes('BeforeHookCreation')) {
          // deleteBeforeCreation (sync_task.go:134-136): deleted first (sync_context.go:1650-1681), then created.
          cluster.delete(target);
          task.live = undefined;
        }
        // applyObject → kubectl apply (sync_context.go:1439).
        const error = cluster.apply(respectIgnoreDifferences(target, task.live, app));
        if (error) {
          hookFailedSweep();
          return { phase: 'Failed', message: `one or more objects failed to apply, reason: ${error}` };
        }
      }
      // A hook's result is its live object's health: a failed Job is Degraded → failed
      // (getOperationPhase, sync_context.go:349-371); a Degraded resource fails the task
      // (:565-566). A multi-step sync waits for the wave's tasks before the next (:576-597).
      for (const task of tasks.filter((t) => t.phase === phase && waveOf(t.target!) === wave)) {
        const live = cluster.live.get(keyOf(task.target!));
        if (live?.jobStatus === 'Failed' && isHook(task.target!)) {
          hookFailedSweep();
          return { phase: 'Failed', message: `one or more synchronization tasks completed unsuccessfully: hook ${task.target!.metadata.name} failed` };
        }
        if (live?.health === 'Degraded') {
          hookFailedSweep();
          return { phase: 'Failed', message: `one or more synchronization tasks completed unsuccessfully: ${task.target!.kind}/${task.target!.metadata.name} Degraded` };
        }
      }
    }
    if (phase === 'Sync') {
      // PruneLast: prune tasks move to the Sync phase's last wave + 1 (sync_context.go:1127-1144).
      for (const key of prunes) cluster.live.delete(key);
    }
  }
  return { phase: 'Succeeded', message: 'successfully synced (all tasks run)' };
}
