import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileError, fileErrorAt } from '../core/file-error';
import { FolderContent, FolderReplacement } from '../core/replace-folders';
import { RenderedTree } from '../core/tree';
import { FolderStatsCheck, pathTemplate, StatsInput, statsHash, StatsThreads } from './folder-stats';

/**
 * What lets a write skip reading back instance folders that are as it left them: `versions` gives
 * each instance a string that changes whenever its rendered content may (the render cache's key),
 * and `manifestFile` (outside `outDir`) records, per instance, that version and a hash of the size,
 * modification and change times and inode of every folder and file the folder held after the last
 * write (./folder-stats.ts). A folder whose version and stats match is as rendered without being
 * read (a folder's mtime changes when an entry is added, removed or renamed, so no file was added
 * either); any mismatch, a missing or unreadable manifest falls back to reading the folder. A file
 * changed in place keeping its size within the same tick of the file system's clock as the write
 * is the one change this misses (git's index makes the same trade).
 */
export interface WriteManifestOptions {
  readonly manifestFile: string;
  readonly versions: ReadonlyMap<string, string>;
}

/**
 * The manifest's content: the output folder it describes, the lists of paths its folders hold,
 * each with the folder's own name taken out (./folder-stats.ts, pathTemplate: instances rendered
 * alike then hold the same list, kept once), and per instance its version, its list and a hash of
 * the stats of everything in it.
 */
interface Manifest {
  readonly out: string;
  readonly shapes: readonly (readonly string[])[];
  readonly instances: Record<string, FolderRecord>;
}

/**
 * One folder as the last write left it: the index of its paths in `shapes` (every folder in it,
 * its own first as '/', each ending in '/', then every file) and the hash of their stats
 * (./folder-stats.ts, statsHash). Creating, deleting or renaming an entry changes its folder's
 * modification time, so the folders' stats catch added files without listing them.
 */
interface FolderRecord {
  readonly version: string;
  readonly shape: number;
  readonly stats: string;
}

/**
 * Brings `outDir` to the rendered content, one top-level folder (instance) at a time, never
 * leaving a half-written folder (see TreeWriter).
 *
 * @param scope the instances this render owns: with `'all'` every instance folder in `outDir`
 *   (folders of instances no longer configured go too); with a list of instance ids, only those.
 * @returns the instance folders that were written or removed
 */
export function writeTree(outDir: string, files: RenderedTree, scope: 'all' | readonly string[]): string[] {
  const writer = new TreeWriter(outDir, scope);
  const byInstance = groupByTopLevel(files);
  for (const id of [...byInstance.keys()].sort()) writer.offer(id, () => byInstance.get(id)!);
  return writer.finish();
}

/**
 * Writes a render into `outDir` as it is produced, one top-level folder (instance) at a time, so
 * that a thousand instances are never all in memory (issue 17). A folder whose files are already
 * exactly as rendered is not touched (so re-rendering a hundred instances after editing one
 * rewrites that one), and, with a write manifest, one the last write left as it is for the same
 * version is not even read. Changed folders are staged as they come and swapped in together by
 * `finish` (lib/core/replace-folders.ts), so `outDir` changes only when the whole render succeeded,
 * never leaves a half-written folder, and a write interrupted by a crash is completed by the next
 * one. Files that are no longer rendered disappear (Argo CD would otherwise keep applying them).
 *
 * Only folders this tool wrote are ever replaced or removed: an instance folder holds the
 * `SECRETS.md` it renders, the cluster folder `clusters/` its `CLUSTERS.md`, the ApplicationSets'
 * `_argocd/` its `APPLICATIONSETS.md`, and anything else in `outDir` is left alone (a mistyped `--out .` must
 * not delete the repository).
 */
export class TreeWriter {
  private readonly out: string;
  private readonly replacement: FolderReplacement;
  private readonly known: Manifest | undefined;
  /** The known folders' stats, checked meanwhile (./folder-stats.ts). */
  private readonly check: WrittenFolders | undefined;
  /** The manifest this write recorded, once it has. */
  private recorded: Manifest | undefined;
  /** Folders offered whose version is the one the manifest records, until their stats are checked (settle). */
  private readonly pending = new Map<string, () => FolderContent>();
  private readonly offered = new Set<string>();
  private readonly unread = new Set<string>();
  private readonly changed: string[] = [];

  /**
   * @param manifest the versions to compare and where to record this write
   * @param written what the last write recorded of `outDir`, its stats being checked
   *   (WrittenFolders.read, which a caller may start before it is ready to write); without it,
   *   every folder offered is read back to be compared
   */
  constructor(private readonly outDir: string, private readonly scope: 'all' | readonly string[], private readonly manifest?: WriteManifestOptions, written?: WrittenFolders) {
    this.out = path.resolve(outDir);
    // Before the replacement, so that a failure to start it stops the check too (guard → abort).
    this.known = written?.known;
    this.check = written;
    this.replacement = this.guard(() => {
      // First, so that an instance folder an interrupted run held in its work folder is back.
      const replacement = new FolderReplacement(this.out);
      removeLegacyLeftovers(this.out);
      return replacement;
    });
  }

  /**
   * The top-level folder `id` must hold `files()` (relative path → content); they are asked for
   * only when the folder is not known to hold them already.
   */
  public offer(id: string, files: () => FolderContent): void {
    this.offered.add(id);
    const entry = this.known?.instances[id];
    if (entry !== undefined && entry.version === this.manifest?.versions.get(id)) this.pending.set(id, files);
    else this.write(id, files);
  }

  /**
   * Decides the folders offered as possibly unchanged: one whose stats match is left unread, any
   * other is compared and staged now. `finish` settles too; a caller settles first to have
   * `files()` fail where its own errors are explained.
   */
  public settle(): void {
    for (const [id, files] of this.pending) {
      if (this.check!.matches(id)) this.unread.add(id);
      else this.write(id, files);
    }
    this.pending.clear();
  }

  private write(id: string, files: () => FolderContent): void {
    this.guard(() => {
      const content = files();
      const same = unchangedFiles(path.join(this.out, id), content);
      if (same === 'all') return;
      this.replacement.stage(id, content, same);
      this.changed.push(id);
    });
  }

  /** Where another thread may stage the folders it found changed (FolderReplacement.stagingFolder). */
  public stagingFolder(): string {
    return this.guard(() => this.replacement.stagingFolder());
  }

  /** The top-level folder `id` was compared by another thread: unchanged, or staged under `stagingFolder()`. */
  public adopt(id: string, staged: boolean): void {
    this.offered.add(id);
    if (!staged) return;
    this.replacement.adopt(id);
    this.changed.push(id);
  }

  /** Removes the owned folders nothing was offered for, swaps the staged ones in; the folders written or removed. */
  public finish(): string[] {
    this.settle();
    return this.guard(() => {
      this.check?.close();
      const owned = this.scope === 'all' ? new Set([...renderedInstanceFolders(this.out), ...this.offered]) : new Set([...this.scope, ...this.offered]);
      for (const id of [...owned].filter((id) => !this.offered.has(id)).sort()) {
        if (!fs.existsSync(path.join(this.out, id))) continue;
        this.replacement.remove(id);
        this.changed.push(id);
      }
      this.replacement.commit();
      if (this.manifest) this.writeManifest(this.manifest, owned);
      return this.changed.sort();
    });
  }

  /**
   * Tells `threads`' spare thread the check the next run will most likely make: of the folders as
   * this write left and recorded them (./folder-stats.ts, FolderStatsCheck.remember).
   */
  public rememberCheck(threads: StatsThreads): void {
    if (this.recorded) FolderStatsCheck.remember(statsInputOf(this.out, this.recorded), threads);
  }

  /** Drops what was staged: `outDir` stays as it was. */
  public abort(): void {
    this.check?.close();
    this.replacement?.abort();
  }

  /**
   * Records what the owned folders now hold (kept, for those found as written without reading),
   * written to a temp name and renamed. Only an optimisation: a failure is ignored.
   */
  private writeManifest(options: WriteManifestOptions, owned: ReadonlySet<string>): void {
    const temp = `${options.manifestFile}.${process.pid}.tmp`;
    try {
      const shapes: string[][] = [];
      const shapeIndex = new Map<string, number>();
      const shapeOf = (paths: readonly string[]) => {
        const key = paths.join('\n');
        if (!shapeIndex.has(key)) {
          shapeIndex.set(key, shapes.length);
          shapes.push([...paths]);
        }
        return shapeIndex.get(key)!;
      };
      // A kept record's list by its old index: a thousand kept folders share a few lists.
      const keptShapes = new Map<number, number>();
      const keep = (entry: FolderRecord) => {
        if (!keptShapes.has(entry.shape)) keptShapes.set(entry.shape, shapeOf(this.known!.shapes[entry.shape]));
        return { ...entry, shape: keptShapes.get(entry.shape)! };
      };
      const instances: Manifest['instances'] = {};
      for (const [id, entry] of Object.entries(this.known?.instances ?? {})) if (!owned.has(id)) instances[id] = keep(entry);
      for (const id of [...owned].sort()) {
        const version = options.versions.get(id);
        if (version === undefined || !this.offered.has(id)) continue;
        if (this.unread.has(id)) {
          instances[id] = keep(this.known!.instances[id]);
          continue;
        }
        const template = pathTemplate(pathsOf(path.join(this.out, id)), id);
        instances[id] = { version, shape: shapeOf(template), stats: statsHash(path.join(this.out, id), id, template) };
      }
      const manifest: Manifest = { out: this.out, shapes, instances };
      fs.mkdirSync(path.dirname(options.manifestFile), { recursive: true });
      fs.writeFileSync(temp, JSON.stringify(manifest));
      fs.renameSync(temp, options.manifestFile);
      this.recorded = manifest;
    } catch {
      fs.rmSync(temp, { force: true });
    }
  }

  /** Runs a step of the write; on a failure the staged folders are dropped and the error names the output folder. */
  private guard<T>(action: () => T): T {
    try {
      return action();
    } catch (e) {
      try {
        this.abort();
      } catch {
        // The first error is the one to report.
      }
      throw e instanceof FileError ? e : fileErrorAt(e, this.outDir);
    }
  }
}

/**
 * The instance folders of `outDir` that are, file for file, as the last write left them, for an
 * instance of the same version: they hold exactly the rendered files, which need not be read.
 */
export function foldersAsWritten(outDir: string, manifest: WriteManifestOptions, threads: StatsThreads): Set<string> {
  const check = WrittenFolders.read(outDir, manifest, threads);
  if (!check) return new Set();
  const written = new Set([...manifest.versions].filter(([id, version]) => check.known.instances[id]?.version === version && check.matches(id)).map(([id]) => id));
  check.close();
  return written;
}

/** The folders of an output folder that its write manifest records, their stats being checked (./folder-stats.ts). */
export class WrittenFolders {
  /**
   * The manifest's folders, their check started; undefined without a readable manifest of `outDir`.
   * Only reads: it may start before `outDir` is checked (lib/core/out-dir.ts) and the write begins.
   * @param threads whether a worker thread checks too (lib/app/render-pool.ts, statsThreads)
   * @param asked the folders the caller may ask about (`synth --config`: the selected instances'); any other is not checked, and does not match
   */
  public static read(outDir: string, manifest: WriteManifestOptions, threads: StatsThreads, asked?: ReadonlySet<string>): WrittenFolders | undefined {
    const out = path.resolve(outDir);
    const known = readManifest(manifest.manifestFile, out);
    return known && new WrittenFolders(out, known, threads, asked);
  }

  private readonly indexOf = new Map<string, number>();
  private readonly check: FolderStatsCheck;

  private constructor(out: string, public readonly known: Manifest, threads: StatsThreads, asked: ReadonlySet<string> | undefined) {
    const input = statsInputOf(out, known, asked);
    input.folders.forEach((folder, index) => this.indexOf.set(folder.name, index));
    this.check = new FolderStatsCheck(input, threads);
  }

  /**
   * Whether `id`'s folder is as the manifest records it: every folder and file with its size, mtime
   * and inode (a folder's mtime changes when an entry is added, removed or renamed, so nothing was added).
   */
  public matches(id: string): boolean {
    const index = this.indexOf.get(id);
    return index !== undefined && this.check.matches(index);
  }

  /** Stops the worker, if it still runs (once the write is done, or dropped). */
  public close(): void {
    this.check.close();
  }
}

/** What checking the folders `manifest` records below `out` (all, or the `asked` ones) reads: the same for the same manifest. */
function statsInputOf(out: string, manifest: Manifest, asked?: ReadonlySet<string>): StatsInput {
  const ids = Object.keys(manifest.instances).filter((id) => asked?.has(id) ?? true);
  const folders = ids.map((id) => ({ dir: path.join(out, id), name: id, shape: manifest.instances[id].shape, stats: manifest.instances[id].stats }));
  return { shapes: manifest.shapes, folders };
}

function readManifest(file: string, out: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
    const valid = manifest?.out === out && Array.isArray(manifest.shapes) && manifest.shapes.every((shape) => Array.isArray(shape) && shape.every((p) => typeof p === 'string'))
      && typeof manifest.instances === 'object' && manifest.instances !== null
      && Object.values(manifest.instances).every((r) => typeof r?.version === 'string' && Number.isInteger(r.shape) && typeof r.stats === 'string');
    return valid ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Every folder (ending in '/', `dir` itself first as '/') and then every file below `dir`, relative to it, sorted. */
function pathsOf(dir: string): string[] {
  const dirs: string[] = ['/'];
  const files: string[] = [];
  const walk = (prefix: string) => {
    for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        dirs.push(`${rel}/`);
        walk(rel);
      } else files.push(rel);
    }
  };
  walk('');
  return [...dirs.sort(), ...files.sort()];
}

/** Rendered files by their top-level folder, with paths relative to it. */
export function groupByTopLevel(files: RenderedTree): Map<string, Map<string, string>> {
  const groups = new Map<string, Map<string, string>>();
  for (const [file, content] of files) {
    const [top, ...rest] = file.split('/');
    if (!groups.has(top)) groups.set(top, new Map());
    groups.get(top)!.set(rest.join('/'), content);
  }
  return groups;
}

/**
 * Which of `files` (relative path → content) `dir` already holds as they are: `'all'` when it holds
 * exactly them, nothing more or less; else the path of each file that is unchanged there (to link
 * it instead of writing it again: FolderReplacement.stage).
 */
export function unchangedFiles(dir: string, files: ReadonlyMap<string, string>): 'all' | ((file: string) => string | undefined) {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return files.size === 0 && !fs.existsSync(dir) ? 'all' : () => undefined;
  const existing = listFiles(dir);
  const same = new Set(existing.filter((file) => files.has(file) && files.get(file) === fs.readFileSync(path.join(dir, file), 'utf8')));
  if (same.size === files.size && existing.length === files.size) return 'all';
  return (file) => (same.has(file) ? path.join(dir, file) : undefined);
}

/** Whether `dir` holds exactly `files` (relative path → content), nothing more or less. */
export function matches(dir: string, files: ReadonlyMap<string, string>): boolean {
  if (!fs.existsSync(dir)) return files.size === 0;
  if (!fs.statSync(dir).isDirectory()) return false;
  const existing = listFiles(dir);
  return existing.length === files.size
    && existing.every((file) => files.get(file) === fs.readFileSync(path.join(dir, file), 'utf8'));
}

/** The file every rendered instance folder holds (lib/app/secrets-doc.ts), which marks it as ours. */
export const INSTANCE_MARKER = 'SECRETS.md';
/** The file the rendered cluster folder (`clusters/`, lib/app/render-clusters.ts) holds, which marks it as ours. */
export const CLUSTERS_MARKER = 'CLUSTERS.md';
/** The file the rendered ApplicationSet folder (`_argocd/`, lib/app/render-application-sets.ts) holds, which marks it as ours. */
export const APPLICATION_SETS_MARKER = 'APPLICATIONSETS.md';

/** The folders of `dir` that a render wrote (they hold a marker file). */
function renderedInstanceFolders(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && [INSTANCE_MARKER, CLUSTERS_MARKER, APPLICATION_SETS_MARKER].some((marker) => fs.existsSync(path.join(dir, e.name, marker))))
    .map((e) => e.name);
}

/** Every file below `dir`, relative to it, with `/` separators. */
function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}

/**
 * What earlier versions of this writer left when interrupted: `<out>/<id>.old-<pid>/` (the old
 * instance folder, put back when the instance folder is missing) and staging folders
 * `.dist-<out>-XXXXXX/` beside `out`.
 */
function removeLegacyLeftovers(out: string): void {
  if (!fs.existsSync(out)) return;
  for (const name of fs.readdirSync(out)) {
    const legacy = /^([a-z0-9-]+)\.old-\d+$/.exec(name);
    if (!legacy || !fs.existsSync(path.join(out, name, INSTANCE_MARKER))) continue;
    if (fs.existsSync(path.join(out, legacy[1]))) fs.rmSync(path.join(out, name), { recursive: true, force: true });
    else fs.renameSync(path.join(out, name), path.join(out, legacy[1]));
  }
  const parent = path.dirname(out);
  const staging = new RegExp(`^\\.dist-${path.basename(out).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[A-Za-z0-9]{6}$`);
  for (const name of fs.readdirSync(parent).filter((n) => staging.test(n))) {
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}
