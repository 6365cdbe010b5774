import * as path from 'node:path';
import { ClusterFiles, configRootOf } from '../config/clusters';
import { SharedDefaults } from '../config/shared-defaults';
import { LoadedInstance } from '../config/types';
import { ConfigProblem } from '../core/errors';
import { FileError, fileErrorAt } from '../core/file-error';
import { stageFolder } from '../core/replace-folders';
import { groupByTopLevel, unchangedFiles } from '../render/write';
import { InstanceFacts, instanceFacts, RenderFacts, renderFacts } from './cross-instance';
import { loadInstance } from './load';
import { renderInstance, RenderResult } from './render';
import { RenderCache, RenderCacheOptions } from './render-cache';
import { Failure, failureOf } from './failure';

/**
 * The whole work on one instance folder that a render into an output folder needs, done by
 * whichever thread has the folder (./render-stream.ts: worker threads, or the main thread): load
 * it, take its facts for the checks across instances, render it, keep the render in the cache,
 * compare it with its output folder and, when that differs, stage it in the write's work folder.
 * Only a small report goes back to the main thread; the render is dropped (issue 17: bounded memory,
 * and the main thread is free to coordinate).
 */
export interface WriteContext {
  /** The output folder (absolute). */
  readonly out: string;
  /** The output folder as the user gave it, for messages. */
  readonly shown: string;
  /** Where changed folders are staged (TreeWriter.stagingFolder). */
  readonly staged: string;
  readonly cache?: RenderCacheOptions;
}

/** What was done with one instance folder. */
export type InstanceReport =
  | { readonly loadFailed: Failure }
  | { readonly facts: InstanceFacts; readonly renderFailed: Failure }
  | {
    readonly facts: InstanceFacts;
    readonly render: RenderFacts;
    readonly warnings: readonly ConfigProblem[];
    /** Whether its output folder differed, and is staged. */
    readonly staged: boolean;
  };

export class InstanceWriter {
  private readonly defaults = new SharedDefaults();
  private readonly clusterFiles = new ClusterFiles();
  private readonly cache: RenderCache | undefined;

  /** @param cache this thread's RenderCache, when the context has one (the main thread passes its own). */
  constructor(private readonly context: WriteContext, cache?: RenderCache) {
    this.cache = cache ?? (context.cache && new RenderCache(context.cache));
  }

  public write(dir: string): InstanceReport {
    let loaded: LoadedInstance;
    try {
      loaded = loadInstance(dir, this.defaults, undefined, this.clusterFiles);
    } catch (e) {
      return { loadFailed: failureOf(e) };
    }
    const facts = instanceFacts(loaded, this.clusterFiles.all(configRootOf(dir)));
    let result: RenderResult;
    try {
      result = renderInstance(loaded);
    } catch (e) {
      return { facts, renderFailed: failureOf(e) };
    }
    this.cache?.store(loaded, result, facts);
    const content = groupByTopLevel(result.files).get(loaded.id) ?? new Map<string, string>();
    let same: boolean;
    try {
      const unchanged = unchangedFiles(path.join(this.context.out, loaded.id), content);
      same = unchanged === 'all';
      if (unchanged !== 'all') stageFolder(this.context.staged, loaded.id, content, unchanged);
    } catch (e) {
      return { facts, renderFailed: failureOf(e instanceof FileError ? e : fileErrorAt(e, this.context.shown)) };
    }
    return { facts, render: renderFacts(loaded.instance.namespace, result.identities, result.files.size), warnings: result.warnings, staged: !same };
  }
}
