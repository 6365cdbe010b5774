/**
 * Upstream behaviour: how Argo CD v3.5.1 runs the rendered migration hooks, the dump before them
 * and the search index Job on every path an instance takes (first install, patch upgrade,
 * config-only change, failed sync then retry, failed dump, re-index), modelled in ./argocd-model.ts with each rule citing its line in
 * argoproj/argo-cd@v3.5.1:gitops-engine/pkg/sync/ and controller/.
 */
import { RenderedTree } from '../../lib/app/render';
import { exampleVariant, replaceOnce, renderedFiles, parseRendered } from '../helpers';
import { AppSpec, appSpec, Cluster, Database, keyOf, Obj, Release, sync, SyncResult } from './argocd-model';

const ID = 'variant';
/** Two releases with one migration of each kind (what Mastodon's own releases look like). */
const RELEASES: readonly Release[] = [
  { version: 'v4.7.2', pre: ['20260301_add_column'], post: ['20260302_drop_old_column'] },
  { version: 'v4.7.3', pre: ['20260401_add_index'], post: ['20260402_remove_legacy_table'] },
];
const versionOfMigration = new Map(RELEASES.flatMap((r) => [...r.pre, ...r.post].map((m) => [m, r.version])));

/** The example with `edit` applied, rendered. */
function render(edit: (text: string) => string = (t) => t): RenderedTree {
  return renderedFiles(exampleVariant({ instance: edit }, ID));
}
const bump = (version: string) => (t: string) => replaceOnce(t, 'version: v4.7.2', `version: ${version}`);

/**
 * The rendered objects of one chart folder (= one Application's source): parsed once per tree, a
 * copy for each sync attempt.
 */
const parsedCharts = new WeakMap<RenderedTree, Map<string, Obj[]>>();
function chartObjects(tree: RenderedTree, chart: string): Obj[] {
  let byChart = parsedCharts.get(tree);
  if (!byChart) parsedCharts.set(tree, (byChart = new Map()));
  if (!byChart.has(chart)) byChart.set(chart, [...tree.entries()].filter(([f]) => f.startsWith(`${ID}/${chart}/`) && f.endsWith('.yaml')).map(([, c]) => parseRendered(c)));
  return structuredClone(byChart.get(chart)!);
}
function application(tree: RenderedTree, chart: string): AppSpec {
  return appSpec(parseRendered(tree.get(`${ID}/argocd/Application.${ID}-${chart}.yaml`)!));
}
function retryLimit(tree: RenderedTree, chart: string): number {
  return parseRendered(tree.get(`${ID}/argocd/Application.${ID}-${chart}.yaml`)!).spec.syncPolicy.retry.limit;
}

/** A cluster with Argo CD, and the Applications (mastodon at wave 0, search at wave 1) it syncs. */
class Instance {
  public readonly db = new Database(RELEASES);
  public readonly cluster = new Cluster(this.db);
  private readonly managed = new Map<string, Set<string>>();

  /** One sync attempt of a chart's Application. */
  public syncOnce(tree: RenderedTree, chart: string, app: AppSpec = application(tree, chart)): SyncResult {
    const targets = chartObjects(tree, chart);
    const result = sync(this.cluster, targets, app, this.managed.get(chart) ?? new Set());
    const tracked = new Set([...(this.managed.get(chart) ?? []), ...targets.map(keyOf)].filter((k) => this.cluster.live.has(k)));
    this.managed.set(chart, tracked);
    return result;
  }

  /** An automated sync with its retries (the rendered retry.limit); the attempts' results. */
  public syncWithRetries(tree: RenderedTree, chart: string): SyncResult[] {
    const results: SyncResult[] = [];
    for (let attempt = 0; attempt <= retryLimit(tree, chart); attempt++) {
      results.push(this.syncOnce(tree, chart));
      if (results[results.length - 1].phase === 'Succeeded') break;
    }
    return results;
  }

  /**
   * The root's waves: mastodon (0), then search (1) once mastodon is healthy (with the rendered
   * Application health check; README, "Argo CD").
   */
  public deploy(tree: RenderedTree): { mastodon: SyncResult[]; search: SyncResult[] } {
    const mastodon = this.syncWithRetries(tree, 'mastodon');
    const search = mastodon[mastodon.length - 1].phase === 'Succeeded' ? this.syncWithRetries(tree, 'search') : [];
    return { mastodon, search };
  }

  public runsOf(name: string): number {
    return this.cluster.jobRuns.filter((r) => r.name === name).length;
  }

  public liveJob(name: string): Obj | undefined {
    return [...this.cluster.live.values()].find((l) => l.obj.kind === 'Job' && l.obj.metadata.name === name)?.obj;
  }
}

const phases = (results: readonly SyncResult[]) => results.map((r) => r.phase);
const dumpEvent = (servingVersion: string | undefined, rolledOut: boolean) => ({ what: 'dump', servingVersion, rolledOut });

/** No post-deployment migration ran before web of its own version was rolled out and healthy. */
function expectPostDeploymentAfterRollout(db: Database): void {
  for (const e of db.events.filter((ev) => ev.what === 'post')) {
    expect({ migration: e.migration, serving: e.servingVersion, rolledOut: e.rolledOut })
      .toEqual({ migration: e.migration, serving: versionOfMigration.get(e.migration!), rolledOut: true });
  }
}

describe('Argo CD v3.5.1 syncing the rendered migrations and search index Job', () => {
  const v472 = render();
  const v473 = render(bump('v4.7.3'));

  test('GIVEN an empty cluster and database WHEN the instance is installed THEN it converges at the first attempt: the (empty) database is dumped, the schema loaded once, the index built once', () => {
    const instance = new Instance();
    const { mastodon, search } = instance.deploy(v472);
    expect(phases(mastodon)).toEqual(['Succeeded']);
    expect(phases(search)).toEqual(['Succeeded']);
    // db:prepare loaded the schema (post-deployment migrations recorded: nothing left to run) before web existed.
    expect(instance.db.events).toEqual([dumpEvent(undefined, false), { what: 'schema-load', servingVersion: undefined, rolledOut: false }]);
    expect(instance.cluster.vault).toEqual([`${ID}-20261130T000000Z-pre-v4.7.2.dump`]);
    expect(instance.db.applied).toEqual(new Set([...RELEASES[0].pre, ...RELEASES[0].post]));
    expect(instance.runsOf('search-deploy-1')).toBe(1);
  });

  describe('GIVEN an installed v4.7.2', () => {
    const installed = () => {
      const instance = new Instance();
      instance.deploy(v472);
      return instance;
    };

    test('WHEN it is upgraded to v4.7.3 THEN the first attempt succeeds: a dump, then the pre-deployment migrations before the rollout, post-deployment ones after it, no re-index', () => {
      const instance = installed();
      const { mastodon, search } = instance.deploy(v473);
      expect(phases(mastodon)).toEqual(['Succeeded']);
      expect(phases(search)).toEqual(['Succeeded']);
      expect(instance.db.events.slice(2)).toEqual([
        dumpEvent('v4.7.2', true),
        { what: 'pre', migration: '20260401_add_index', servingVersion: 'v4.7.2', rolledOut: true },
        { what: 'post', migration: '20260402_remove_legacy_table', servingVersion: 'v4.7.3', rolledOut: true },
      ]);
      expect(instance.runsOf('search-deploy-1')).toBe(1);
      // The search Job's new template (image v4.7.3) was not applied over the live one: its spec is ignored and respected.
      expect(instance.liveJob('search-deploy-1')!.spec.template.spec.containers[0].image).toBe('ghcr.io/mastodon/mastodon:v4.7.2');
    });

    test('WHEN only its configuration changes THEN the first attempt succeeds, the version\'s dump is in the vault already, the migrations have nothing to do and the index is not rebuilt', () => {
      const instance = installed();
      const changed = render((t) => replaceOnce(t, 'logLevel: warn', 'logLevel: info'));
      // The change reaches the hooks' pod templates (inline environment) and the search Job's.
      expect(chartObjects(changed, 'mastodon').find((o) => o.metadata.name === 'db-migrate-pre')).not.toEqual(chartObjects(v472, 'mastodon').find((o) => o.metadata.name === 'db-migrate-pre'));
      const { mastodon, search } = instance.deploy(changed);
      expect(phases(mastodon)).toEqual(['Succeeded']);
      expect(phases(search)).toEqual(['Succeeded']);
      expect(instance.db.events.map((e) => e.what)).toEqual(['dump', 'schema-load']);
      expect(instance.runsOf('db-backup-pre-v4-7-2')).toBe(2);
      expect(instance.cluster.vault).toHaveLength(1);
      expect(instance.runsOf('db-migrate-pre')).toBe(2);
      expect(instance.runsOf('search-deploy-1')).toBe(1);
    });

    test('WHEN the upgrade\'s rollout fails once THEN the retry converges, and the post-deployment migrations still run only after the new pods are rolled out', () => {
      const instance = installed();
      instance.cluster.failNextRollout.add('web');
      const { mastodon, search } = instance.deploy(v473);
      expect(phases(mastodon)).toEqual(['Failed', 'Succeeded']);
      expect(mastodon[0].message).toMatch(/Deployment\/web Degraded/);
      expect(phases(search)).toEqual(['Succeeded']);
      expectPostDeploymentAfterRollout(instance.db);
      expect(instance.db.events.filter((e) => e.what === 'post').map((e) => e.migration)).toEqual(['20260402_remove_legacy_table']);
      expect(instance.runsOf('search-deploy-1')).toBe(1);
    });

    test('WHEN the pre-deployment hook fails once THEN Argo CD re-creates it at the retry, the old version serves meanwhile, and the upgrade completes', () => {
      const instance = installed();
      instance.cluster.failNextJob.add('db-migrate-pre');
      const { mastodon } = instance.deploy(v473);
      expect(phases(mastodon)).toEqual(['Failed', 'Succeeded']);
      expect(mastodon[0].message).toMatch(/hook db-migrate-pre failed/);
      expectPostDeploymentAfterRollout(instance.db);
      expect(instance.runsOf('search-deploy-1')).toBe(1);
    });

    test('WHEN the dump before the upgrade fails once THEN no migration runs before the retry, which dumps and upgrades', () => {
      const instance = installed();
      instance.cluster.failNextJob.add('db-backup-pre-v4-7-3');
      const { mastodon } = instance.deploy(v473);
      expect(phases(mastodon)).toEqual(['Failed', 'Succeeded']);
      expect(mastodon[0].message).toMatch(/hook db-backup-pre-v4-7-3 failed/);
      expect(instance.db.events.slice(2).map((e) => e.what)).toEqual(['dump', 'pre', 'post']);
      expect(instance.runsOf('db-backup-pre-v4-7-3')).toBe(2);
    });

    test('WHEN every dump before the upgrade fails THEN the upgrade stops: every retry fails, no migration ran, the old version keeps serving', () => {
      const instance = installed();
      const migrationsBefore = instance.runsOf('db-migrate-pre');
      instance.cluster.failingJobs.add('db-backup-pre-v4-7-3');
      const { mastodon, search } = instance.deploy(v473);
      expect(new Set(phases(mastodon))).toEqual(new Set(['Failed']));
      expect(mastodon).toHaveLength(retryLimit(v473, 'mastodon') + 1);
      expect(search).toEqual([]);
      expect(instance.db.events.slice(2)).toEqual([]);
      expect(instance.runsOf('db-migrate-pre')).toBe(migrationsBefore);
      expect(instance.cluster.serving()).toEqual({ version: 'v4.7.2', rolledOut: true });
    });

    test('WHEN the operator bumps search.deploy.reindex THEN a new index build runs once and the old Job is pruned', () => {
      const instance = installed();
      const reindex = (t: string) => replaceOnce(t, '  password: { name: opensearch, key: password }\n', '  password: { name: opensearch, key: password }\n  deploy: { reindex: 2 }\n');
      expect(phases(instance.deploy(render(reindex)).search)).toEqual(['Succeeded']);
      expect(instance.runsOf('search-deploy-2')).toBe(1);
      expect(instance.liveJob('search-deploy-1')).toBeUndefined();
      // A later upgrade does not rebuild it again.
      instance.deploy(render((t) => bump('v4.7.3')(reindex(t))));
      expect(instance.runsOf('search-deploy-2')).toBe(1);
    });
  });

  test('GIVEN the search Application THEN its sync is single-step (no hook, one wave), so Argo CD does not wait for the hours-long Job', () => {
    // A sync waits for running tasks only when it is multi-step or they are hooks (sync_context.go:576-577;
    // multiStep: sync_tasks.go:274-276); a single-step sync succeeds once applied (sync_context.go:703-712).
    // The namespace task that would add a PreSync step exists only while the namespace does not
    // (controller/sync_namespace.go:21-27), and the mastodon Application of an earlier wave creates it.
    const search = chartObjects(v472, 'search');
    expect(search.map((o) => o.kind)).toEqual(['Job']);
    expect(search.filter((o) => o.metadata.annotations?.['argocd.argoproj.io/hook'] !== undefined)).toEqual([]);
    expect(new Set(search.map((o) => o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0'))).toEqual(new Set(['0']));
    expect(Number(parseRendered(v472.get(`${ID}/argocd/Application.${ID}-search.yaml`)!).metadata.annotations['argocd.argoproj.io/sync-wave']))
      .toBeGreaterThan(Number(parseRendered(v472.get(`${ID}/argocd/Application.${ID}-mastodon.yaml`)!).metadata.annotations['argocd.argoproj.io/sync-wave']));
  });

  test('GIVEN the rendered dump hook THEN it is a PreSync hook re-created at every sync, in a wave before the pre-deployment migrations', () => {
    const hooks = chartObjects(v472, 'mastodon').filter((o) => o.metadata.annotations?.['argocd.argoproj.io/hook'] === 'PreSync');
    expect(hooks.map((o) => [o.metadata.name, o.metadata.annotations!['argocd.argoproj.io/sync-wave'], o.metadata.annotations!['argocd.argoproj.io/hook-delete-policy']]).sort())
      .toEqual([['db-backup-pre-v4-7-2', '-2', 'BeforeHookCreation'], ['db-migrate-pre', '-1', 'BeforeHookCreation']]);
  });

  describe('the model bites: what the rules above protect against', () => {
    /** The rendered objects with the previous design's hook policy: HookFailed, kept when completed. */
    const withHookFailed = (tree: RenderedTree): RenderedTree => new Map([...tree].map(([file, content]) => [file, content.replace(/hook-delete-policy: BeforeHookCreation/g, 'hook-delete-policy: HookFailed')]));

    test('GIVEN hooks kept by HookFailed WHEN the version changes their template THEN the apply hits the immutable pod template, and the failure deletes the completed hooks', () => {
      const instance = new Instance();
      instance.deploy(withHookFailed(v472));
      const first = instance.syncOnce(withHookFailed(v473), 'mastodon');
      expect(first.phase).toBe('Failed');
      expect(first.message).toMatch(/spec\.template: Invalid value: field is immutable/);
      // Every HookFailed hook with a live object is swept (sync_context.go:625-638), db-migrate-post included.
      expect(instance.liveJob('db-migrate-post')).toBeUndefined();
    });

    test('GIVEN a PreSync hook without SKIP_POST_DEPLOYMENT_MIGRATIONS (the former db-prepare) WHEN upgrading THEN the post-deployment migrations run while the old version serves', () => {
      const instance = new Instance();
      instance.deploy(v472);
      const skipless = new Map([...v473].map(([file, content]) => [file, file.endsWith('Job.db-migrate-pre.yaml') ? content.replace(/\n {12}- name: SKIP_POST_DEPLOYMENT_MIGRATIONS\n {14}value: "true"/, '') : content]));
      expect(skipless.get(`${ID}/mastodon/Job.db-migrate-pre.yaml`)).not.toEqual(v473.get(`${ID}/mastodon/Job.db-migrate-pre.yaml`));
      instance.deploy(skipless);
      expect(instance.db.events.find((e) => e.what === 'post')).toMatchObject({ servingVersion: 'v4.7.2' });
    });

    test('GIVEN the dump hook in the wave of the migrations WHEN every dump fails THEN the pre-deployment migrations run anyway', () => {
      const instance = new Instance();
      instance.deploy(v472);
      const sameWave = new Map([...v473].map(([file, content]) => [file, file.endsWith('Job.db-backup-pre-v4-7-3.yaml') ? content.replace('argocd.argoproj.io/sync-wave: "-2"', 'argocd.argoproj.io/sync-wave: "-1"') : content]));
      expect(sameWave.get(`${ID}/mastodon/Job.db-backup-pre-v4-7-3.yaml`)).not.toEqual(v473.get(`${ID}/mastodon/Job.db-backup-pre-v4-7-3.yaml`));
      instance.cluster.failingJobs.add('db-backup-pre-v4-7-3');
      instance.deploy(sameWave);
      expect(instance.db.events.slice(2).map((e) => e.what)).toContain('pre');
    });

    test('GIVEN the search Application without RespectIgnoreDifferences WHEN the version changes the Job\'s template THEN the sync fails on the immutable pod template', () => {
      const instance = new Instance();
      instance.deploy(v472);
      instance.syncOnce(v473, 'mastodon');
      const app = application(v473, 'search');
      const withoutRespect: AppSpec = { ...app, syncOptions: app.syncOptions.filter((o) => o !== 'RespectIgnoreDifferences=true') };
      expect(instance.syncOnce(v473, 'search', withoutRespect).message).toMatch(/field is immutable/);
    });
  });
});
