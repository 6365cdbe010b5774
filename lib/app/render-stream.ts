import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClusterFiles } from '../config/clusters';
import { SharedDefaults } from '../config/shared-defaults';
import { LoadedCluster } from '../config/types';
import { RenderedTree } from '../core/tree';
import { collectProblems, ConfigProblem } from '../core/errors';
import { applicationSetModels } from '../model/application-set';
import { clusterModel } from '../model/cluster';
import { foldersAsWritten, groupByTopLevel, matches, TreeWriter } from '../render/write';
import { configMayClash, InstanceFacts, objectsMayClash, RenderFacts } from './cross-instance';
import { InstanceReport, InstanceWriter, WriteContext } from './instance-writer';
import { rethrow } from './failure';
import { loadInstance } from './load';
import { renderInstance, RenderResult } from './render';
import { CachedInstance, RenderCache } from './render-cache';
import { renderApplicationSets } from './render-application-sets';
import { renderClusters } from './render-clusters';
import { PARALLEL_FROM, ParallelOptions, runInWorkers, statsThreads } from './render-pool';

/**
 * Renders instances straight into a TreeWriter, so that a thousand instances are never all in
 * memory and the main thread only coordinates (issue 17). An instance the render cache holds is not
 * loaded, and its render is read only when its output folder is not as the last write left it.
 * Every other instance is loaded, rendered, kept in the cache, compared with its output folder and,
 * if that differs, staged, all where it is (./instance-writer.ts: on worker threads when there are
 * enough, else here); only a small report comes back. What stays is a few facts per instance
 * (./cross-instance.ts).
 *
 * The outcome is the one `renderAll` (./render.ts) gives, file for file and message for message:
 * load problems of all instances together, then the checks across instances, then the render
 * problems in instance order, then objects rendered twice. Whenever the facts say a check across
 * instances may find a problem, the answer is `'check-all'` and the caller, discarding what was
 * staged, runs `renderAll` over the loaded instances, for the checks' own messages.
 */
export interface StreamOptions {
  /** The instance folders, in order. */
  readonly dirs: readonly string[];
  /** Every cluster file of the config roots in use. */
  readonly clusters: readonly LoadedCluster[];
  /** The output folder, as given. */
  readonly out: string;
  /** Whether the ApplicationSets (`_argocd/`) are written: a render of every instance. */
  readonly applicationSets: boolean;
  readonly cache?: RenderCache;
  readonly parallel?: ParallelOptions;
}

/** What a streamed render wrote into the writer. */
export interface StreamResult {
  readonly ids: readonly string[];
  /** Files rendered (and offered to the writer). */
  readonly files: number;
  readonly warnings: readonly ConfigProblem[];
}

export async function renderStream(options: StreamOptions, writer: TreeWriter): Promise<StreamResult | 'check-all'> {
  const { cache, clusters } = options;
  const ids = options.dirs.map((dir) => path.basename(path.resolve(dir)));
  const cached = options.dirs.map((dir) => cache?.lookup(dir));
  const misses = options.dirs.flatMap((dir, index) => (cached[index] ? [] : [{ index, dir }]));

  // The instances the cache does not hold: loaded, rendered, compared with their output folder and
  // staged where they are (on worker threads when there are enough of them, else here).
  const reports: (InstanceReport | undefined)[] = new Array(options.dirs.length);
  const report = (index: number, r: InstanceReport) => {
    reports[index] = r;
    if ('staged' in r) writer.adopt(ids[index], r.staged);
  };
  let here: InstanceWriter | undefined;
  let parallel: Promise<void> | undefined;
  if (misses.length > 0) {
    const context: WriteContext = { out: path.resolve(options.out), shown: options.out, staged: writer.stagingFolder(), ...(cache ? { cache: cache.options } : {}) };
    here = new InstanceWriter(context, cache);
    const local = here;
    const workers = options.parallel ? Math.min(options.parallel.workers ?? os.availableParallelism(), misses.length) : 0;
    if (options.parallel && workers >= 2 && misses.length >= (options.parallel.minInstances ?? PARALLEL_FROM)) {
      parallel = runInWorkers<InstanceReport>(misses.map((m) => m.dir), options.parallel, workers, { task: 'write', context }, (i, r) => report(misses[i].index, r), (dir) => local.write(dir));
    }
  }
  // Meanwhile, the instances the cache holds: a folder as the last write left it is not even read.
  const rerender = new RenderAgain(cache);
  cached.forEach((hit, index) => {
    if (hit) writer.offer(ids[index], () => groupByTopLevel((hit.result() ?? rerender.render(options.dirs[index])).files).get(ids[index]) ?? new Map());
  });
  if (parallel) await parallel;
  else for (const { index, dir } of misses) report(index, here!.write(dir));

  // What renderAll reports, in its order: the load problems of all instances together, the checks
  // across instances, the render problems in instance order, objects rendered twice.
  const each = <T>(fn: (index: number) => T) => collectProblems(options.dirs.map((_, index) => index), fn);
  each((index) => {
    const r = reports[index];
    if (r && 'loadFailed' in r) rethrow(r.loadFailed, options.dirs[index]);
  });
  const facts = each((index) => cached[index]?.facts ?? (reports[index] as { facts: InstanceFacts }).facts);
  if (configMayClash(facts, clusters)) return 'check-all';
  const renders = each((index): { render: RenderFacts; warnings: readonly ConfigProblem[] } => {
    const hit = cached[index];
    if (hit) return hit;
    const r = reports[index]!;
    if ('renderFailed' in r) rethrow(r.renderFailed, options.dirs[index]);
    return r as { render: RenderFacts; warnings: readonly ConfigProblem[] };
  });
  const shared = renderShared(facts, renders.map((r) => r.render), clusters, options.applicationSets);
  if (!shared) return 'check-all';
  for (const [top, content] of groupByTopLevel(shared)) writer.offer(top, () => content);
  // Last, so that the folders' stats are checked on another thread while this one rendered.
  writer.settle();
  return { ids, files: renders.reduce((sum, r) => sum + r.render.files, shared.size), warnings: renders.flatMap((r) => r.warnings) };
}

/**
 * What is rendered for all the instances together: the cluster files' folders and, for a render of
 * every instance, the ApplicationSets. Undefined when one of their objects and one of the
 * instances' may be the same object (objectsMayClash): the checks then run over everything.
 */
function renderShared(facts: readonly InstanceFacts[], renders: readonly RenderFacts[], clusters: readonly LoadedCluster[], applicationSets: boolean): RenderedTree | undefined {
  const platform = renderClusters(clusters.map((cluster) => clusterModel(cluster)));
  const sets = applicationSets ? renderApplicationSets(applicationSetModels(facts.flatMap((f) => (f.applicationSet ? [f.applicationSet.candidate] : [])))) : undefined;
  if (objectsMayClash(facts, renders, [...platform.identities, ...(sets?.identities ?? [])])) return undefined;
  return new Map([...platform.files, ...(sets?.files ?? [])]);
}

/**
 * Renders an instance the cache said it holds, whose render file has gone missing or corrupt since
 * (the same inputs rendered without a problem before), and keeps it.
 */
class RenderAgain {
  private readonly defaults = new SharedDefaults();
  private readonly clusterFiles = new ClusterFiles();

  constructor(private readonly cache: RenderCache | undefined) {}

  public render(dir: string): RenderResult {
    const loaded = loadInstance(dir, this.defaults, undefined, this.clusterFiles);
    const result = renderInstance(loaded);
    this.cache?.store(loaded, result);
    return result;
  }
}

/**
 * Whether `dist` holds exactly what the instances render, told from the render cache and the last
 * write's manifest alone, without loading, rendering or reading a single instance (issue 17: a
 * `diff` with nothing changed costs no more than a synth with nothing changed): every instance is
 * in the cache with its output folder as the last write left it, no check across instances may
 * fail, the cluster and ApplicationSet folders hold what they render, and `dist` holds nothing
 * else. Returns the instances' warnings, or undefined when it cannot tell (a full diff then does).
 */
export function unchangedSinceWritten(options: StreamOptions & { readonly cache: RenderCache }): { readonly warnings: readonly ConfigProblem[] } | undefined {
  const { cache, clusters } = options;
  const cached = options.dirs.map((dir) => cache.lookup(dir));
  if (cached.some((hit) => hit === undefined)) return undefined;
  const hits = cached as CachedInstance[];
  const ids = options.dirs.map((dir) => path.basename(path.resolve(dir)));
  const written = foldersAsWritten(options.out, cache.writeManifest(options.out), statsThreads(options.parallel));
  if (!ids.every((id) => written.has(id))) return undefined;
  const facts = hits.map((hit) => hit.facts);
  if (configMayClash(facts, clusters)) return undefined;
  const shared = renderShared(facts, hits.map((hit) => hit.render), clusters, options.applicationSets);
  if (!shared) return undefined;
  if (options.applicationSets) {
    // A whole render: the folders it renders, and no other.
    const tops = groupByTopLevel(shared);
    if (!fs.existsSync(options.out)) return undefined;
    const entries = fs.readdirSync(options.out).sort();
    if (JSON.stringify(entries) !== JSON.stringify([...new Set([...ids, ...tops.keys()])].sort())) return undefined;
    for (const [top, content] of tops) if (!matches(path.join(options.out, top), content)) return undefined;
  }
  return { warnings: hits.flatMap((hit) => hit.warnings) };
}
