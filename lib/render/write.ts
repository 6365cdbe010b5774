import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileError, fileErrorAt } from '../core/file-error';
import { recoverInterruptedWrite, replaceFolders } from '../core/replace-folders';
import { RenderedTree } from '../core/tree';

/**
 * What lets a write skip reading back instance folders that are as it left them: `versions` gives
 * each instance a string that changes whenever its rendered content may (the render cache's key),
 * and `manifestFile` (outside `outDir`) records, per instance, that version and the size,
 * modification time and inode of each file the folder held after the last write. A folder whose
 * version and every file's stat match (and that holds no other file) is as rendered without being
 * read; any mismatch, a missing or unreadable manifest falls back to reading the folder. A file
 * changed in place keeping its size within the same nanosecond is the one change this misses (git's
 * index makes the same trade).
 */
export interface WriteManifestOptions {
  readonly manifestFile: string;
  readonly versions: ReadonlyMap<string, string>;
}

/** The manifest's content: the output folder it describes, and per instance its version and files. */
interface Manifest {
  readonly out: string;
  readonly instances: Record<string, { readonly version: string; readonly files: readonly FileStat[] }>;
}

/** `[relative path, size, mtime in ns, inode]`. */
type FileStat = readonly [string, string, string, string];

/**
 * Brings `outDir` to the rendered content, one top-level folder (instance) at a time, never
 * leaving a half-written folder: changed instances are staged and swapped in with renames, and a
 * write interrupted by a crash is completed by the next one (lib/core/replace-folders.ts). Files
 * that are no longer rendered disappear (Argo CD would otherwise keep applying them). An instance whose files are already exactly as rendered is not touched, so
 * re-rendering a hundred instances after editing one rewrites that one.
 *
 * Only folders this tool wrote are ever replaced or removed: an instance folder holds the
 * `SECRETS.md` it renders, the cluster folder `clusters/` its `CLUSTERS.md`, the ApplicationSets'
 * `_argocd/` its `APPLICATIONSETS.md`, and anything else in `outDir` is left alone (a mistyped `--out .` must
 * not delete the repository).
 *
 * @param scope the instances this render owns: with `'all'` every instance folder in `outDir`
 *   (folders of instances no longer configured go too); with a list of instance ids, only those.
 * @returns the instance folders that were written or removed
 */
export function writeTree(outDir: string, files: RenderedTree, scope: 'all' | readonly string[], manifest?: WriteManifestOptions): string[] {
  const out = path.resolve(outDir);
  try {
    // First, so that an instance folder an interrupted run held in its work folder is back.
    recoverInterruptedWrite(out);
    removeLegacyLeftovers(out);
    const byInstance = groupByTopLevel(files);
    const owned = scope === 'all' ? new Set([...renderedInstanceFolders(out), ...byInstance.keys()]) : new Set(scope);
    const known = manifest ? readManifest(manifest.manifestFile, out) : undefined;
    const asWritten = (id: string) => {
      const entry = known?.instances[id];
      return entry !== undefined && byInstance.has(id) && entry.version === manifest?.versions.get(id) && statsMatch(path.join(out, id), entry.files);
    };
    const unread = new Set([...owned].filter(asWritten));
    const changed = [...owned].sort().filter((id) => !unread.has(id) && !matches(path.join(out, id), byInstance.get(id) ?? new Map()));
    if (changed.length > 0) replaceFolders(out, new Map(changed.map((id) => [id, byInstance.get(id)])));
    if (manifest) writeManifest(manifest, out, owned, known, unread, byInstance);
    return changed;
  } catch (e) {
    throw e instanceof FileError ? e : fileErrorAt(e, outDir);
  }
}

/**
 * The instance folders of `outDir` that are, file for file, as the last write left them, for an
 * instance of the same version: they hold exactly the rendered files, which need not be read.
 */
export function foldersAsWritten(outDir: string, manifest: WriteManifestOptions): Set<string> {
  const out = path.resolve(outDir);
  const known = readManifest(manifest.manifestFile, out);
  return new Set([...manifest.versions].filter(([id, version]) => known?.instances[id]?.version === version && statsMatch(path.join(out, id), known.instances[id].files)).map(([id]) => id));
}

function readManifest(file: string, out: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
    return manifest?.out === out && typeof manifest.instances === 'object' && manifest.instances !== null ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `dir` holds exactly the files of `stats`, each with that size, mtime and inode. */
function statsMatch(dir: string, stats: readonly FileStat[]): boolean {
  try {
    if (!Array.isArray(stats) || listFiles(dir).length !== stats.length) return false;
    return stats.every((s) => Array.isArray(s) && fileStat(dir, s[0]).every((v, i) => v === s[i]));
  } catch {
    return false;
  }
}

function fileStat(dir: string, rel: string): FileStat {
  const s = fs.lstatSync(path.join(dir, rel), { bigint: true });
  return [rel, String(s.size), String(s.mtimeNs), String(s.ino)];
}

/**
 * Records what the owned instance folders now hold (kept, for those found as written without
 * reading), written to a temp name and renamed. Only an optimisation: a failure is ignored.
 */
function writeManifest(options: WriteManifestOptions, out: string, owned: ReadonlySet<string>, known: Manifest | undefined, unread: ReadonlySet<string>, byInstance: ReadonlyMap<string, unknown>): void {
  const temp = `${options.manifestFile}.${process.pid}.tmp`;
  try {
    const instances: Manifest['instances'] = {};
    for (const [id, entry] of Object.entries(known?.instances ?? {})) if (!owned.has(id)) instances[id] = entry;
    for (const id of owned) {
      const version = options.versions.get(id);
      if (version === undefined || !byInstance.has(id)) continue;
      const kept = unread.has(id) ? known?.instances[id] : undefined;
      instances[id] = kept ?? { version, files: listFiles(path.join(out, id)).sort().map((rel) => fileStat(path.join(out, id), rel)) };
    }
    fs.mkdirSync(path.dirname(options.manifestFile), { recursive: true });
    fs.writeFileSync(temp, JSON.stringify({ out, instances } satisfies Manifest));
    fs.renameSync(temp, options.manifestFile);
  } catch {
    fs.rmSync(temp, { force: true });
  }
}

/** Rendered files by their top-level folder, with paths relative to it. */
function groupByTopLevel(files: RenderedTree): Map<string, Map<string, string>> {
  const groups = new Map<string, Map<string, string>>();
  for (const [file, content] of files) {
    const [top, ...rest] = file.split('/');
    if (!groups.has(top)) groups.set(top, new Map());
    groups.get(top)!.set(rest.join('/'), content);
  }
  return groups;
}

/** Whether `dir` holds exactly `files` (relative path → content), nothing more or less. */
function matches(dir: string, files: ReadonlyMap<string, string>): boolean {
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
