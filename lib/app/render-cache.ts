import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigProblem } from '../core/errors';
import { ClusterFiles, configRootOf } from '../config/clusters';
import { LoadedInstance } from '../config/types';
import { RenderedObject } from '../validate/object-problem';
import { WriteManifestOptions } from '../render/write';
import { RenderResult } from './render';
import { InstanceFacts, instanceFacts, RenderFacts, renderFacts } from './cross-instance';
import { RenderInputs } from './render-inputs';

/**
 * Renders kept between runs, so that re-rendering a thousand instances after editing one loads and
 * renders that one (issue 17). An entry is found by a content hash of everything an instance's
 * render depends on: the program (the CLI bundle, which holds lib/, imports/ and every bundled
 * dependency, and package-lock.json: `program`), Node's major version, and the bytes of every file
 * it reads, taken before loading it (./render-inputs.ts). The render reads nothing else: no clock,
 * environment or network (README). Beside the render, an entry keeps what the checks across
 * instances need (./cross-instance.ts) and the warnings, in a small file read for every instance;
 * the render itself is read only when it is needed.
 *
 * The cache only saves time. It lives outside the repository's tracked files (bin puts it in
 * node_modules/.cache/mastodon-cdk8s/render/), may be deleted at any time, and is never trusted
 * blindly: an entry that cannot be read, does not parse, has another shape, another key or
 * content that does not match its digest is ignored and the instance rendered again. Only
 * successful renders are kept, so every error is found by a real render.
 */

/** Where renders are kept, and which program rendered them. */
export interface RenderCacheOptions {
  /** The cache folder. */
  readonly dir: string;
  /** A fingerprint of the program (bin/mastodon-cdk8s.js: sha256 of the bundle and package-lock.json). */
  readonly program: string;
}

/** Changes when the entry format or what the key covers changes. */
const FORMAT = 'mastodon-cdk8s render cache 2';

/**
 * Entries kept at most: one per instance folder rendered from this checkout, so a hosting
 * provider's thousand fit; beyond it (folders of temporary checkouts), the least recently
 * written half goes.
 */
export const MAX_ENTRIES = 4096;

/** Where the manifests of written output folders are kept, beside the entries. */
const WRITTEN_FOLDER = 'written';

/**
 * Manifests kept at most: one per output folder written from this checkout, temporary ones too
 * (the cdk8s CLI's `synth --stdout` writes into a new temporary folder every time); beyond it, the
 * least recently written half goes.
 */
export const MAX_MANIFESTS = 64;

/** An entry is two files: `<name>.json`, small, read for every instance, and `<name>.files.json`, its render, read only when needed. */
const FILES_SUFFIX = '.files.json';

/** What is read of every instance: its key, what the checks across instances need, and its warnings. */
interface Entry {
  readonly format: string;
  readonly key: string;
  /** sha256 of the render file's text. */
  readonly digest: string;
  readonly facts: InstanceFacts;
  readonly render: RenderFacts;
  readonly warnings: readonly ConfigProblem[];
}

interface StoredRender {
  readonly files: [string, string][];
  readonly identities: readonly RenderedObject[];
}

/** An instance the cache holds: what the checks across instances need at once, its render when asked. */
export interface CachedInstance {
  readonly facts: InstanceFacts;
  readonly render: RenderFacts;
  readonly warnings: readonly ConfigProblem[];
  /** Its whole render; undefined when the render file is missing or corrupt. */
  readonly result: () => RenderResult | undefined;
}

export class RenderCache {
  /** Instances rendered in this run, and those taken from the cache. */
  public rendered = 0;
  public reused = 0;
  /** The key of each instance rendered or reused in this run, by id. */
  public readonly keys = new Map<string, string>();
  private written = false;
  private readonly inputs = new RenderInputs();
  private readonly clusterFiles = new ClusterFiles();

  constructor(public readonly options: RenderCacheOptions) {}

  /** The render of `loaded`, from the cache when an entry matches, else rendered and kept. */
  public render(loaded: LoadedInstance, renderInstance: (loaded: LoadedInstance) => RenderResult): RenderResult {
    return this.lookup(loaded.dir)?.result() ?? this.store(loaded, renderInstance(loaded));
  }

  /** The cached instance of folder `dir`, when an entry matches what its render reads now. */
  public lookup(dir: string): CachedInstance | undefined {
    const key = this.key(dir);
    if (key === undefined) return undefined;
    this.keys.set(path.basename(path.resolve(dir)), key);
    const cached = this.read(dir, key);
    if (cached) this.reused += 1;
    return cached;
  }

  /** Keeps a render of `loaded` that `lookup` did not find (rendered here or in a worker thread, lib/app/render-pool.ts). */
  public store(loaded: LoadedInstance, result: RenderResult, facts: InstanceFacts = this.facts(loaded)): RenderResult {
    this.rendered += 1;
    const key = this.keys.get(loaded.id) ?? this.key(loaded.dir);
    if (key !== undefined) {
      this.keys.set(loaded.id, key);
      this.write(loaded, key, result, facts);
    }
    return result;
  }

  /** What the checks across instances need of `loaded` (the clusters read once per config root). */
  public facts(loaded: LoadedInstance): InstanceFacts {
    return instanceFacts(loaded, this.clusterFiles.all(configRootOf(loaded.dir)));
  }

  /**
   * What lets writing `out` skip reading back the instance folders it left as rendered
   * (lib/render/write.ts): the keys of this run as the instances' versions, and a manifest per
   * output folder beside the entries.
   */
  public writeManifest(out: string): WriteManifestOptions {
    const name = crypto.createHash('sha256').update(path.resolve(out)).digest('hex').slice(0, 32);
    return { manifestFile: path.join(this.options.dir, WRITTEN_FOLDER, `${name}.json`), versions: this.keys };
  }

  /** Keeps the cache within MAX_ENTRIES entries and MAX_MANIFESTS manifests; call once at the end of a run. */
  public prune(): void {
    if (this.written) pruneOldest(this.options.dir, MAX_ENTRIES, (name) => !name.endsWith(FILES_SUFFIX), (name) => [name, name.replace(/\.json$/, FILES_SUFFIX)]);
    pruneOldest(path.join(this.options.dir, WRITTEN_FOLDER), MAX_MANIFESTS, () => true, (name) => [name]);
  }

  /**
   * The content hash of everything the render of the instance folder `dir` depends on: the
   * program, Node's major version and every file it reads (./render-inputs.ts).
   */
  public key(dir: string): string | undefined {
    const inputs = this.inputs.hash(dir);
    if (inputs === undefined) return undefined;
    const hash = crypto.createHash('sha256');
    for (const value of [FORMAT, this.options.program, process.versions.node.split('.')[0], inputs]) hash.update(`${value.length}:${value}`);
    return hash.digest('hex');
  }

  /** One entry per instance folder: a new render of it replaces the old one. */
  private entryFile(dir: string): string {
    return path.join(this.options.dir, `${crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 32)}.json`);
  }

  private read(dir: string, key: string): CachedInstance | undefined {
    try {
      const file = this.entryFile(dir);
      const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as Entry;
      if (entry?.format !== FORMAT || entry.key !== key || !isEntry(entry)) return undefined;
      return { facts: entry.facts, render: entry.render, warnings: entry.warnings, result: () => readRender(file.replace(/\.json$/, FILES_SUFFIX), entry) };
    } catch {
      // Missing, unreadable or corrupt: rendered again.
      return undefined;
    }
  }

  private write(loaded: LoadedInstance, key: string, result: RenderResult, facts: InstanceFacts): void {
    const render = JSON.stringify({ files: [...result.files], identities: result.identities } satisfies StoredRender);
    const entry: Entry = {
      format: FORMAT,
      key,
      digest: sha256(render),
      facts,
      render: renderFacts(loaded.instance.namespace, result.identities, result.files.size),
      warnings: result.warnings,
    };
    const file = this.entryFile(loaded.dir);
    try {
      fs.mkdirSync(this.options.dir, { recursive: true });
      // The render first: an entry never names a render file that is not there yet.
      writeAtomically(file.replace(/\.json$/, FILES_SUFFIX), render);
      writeAtomically(file, JSON.stringify(entry));
      this.written = true;
    } catch {
      // A cache that cannot be written (read-only node_modules, a full disk) is skipped.
    }
  }
}

/**
 * When `dir` holds more than `max` of the `.json` files `counted` picks, removes the least recently
 * written of them, with the files that go with each (`files`), down to half of `max`.
 */
function pruneOldest(dir: string, max: number, counted: (name: string) => boolean, files: (name: string) => string[]): void {
  try {
    const names = fs.readdirSync(dir).filter((name) => name.endsWith('.json') && counted(name));
    if (names.length <= max) return;
    const byAge = names.map((name) => ({ name, mtime: fs.statSync(path.join(dir, name)).mtimeMs })).sort((a, b) => a.mtime - b.mtime);
    for (const { name } of byAge.slice(0, names.length - max / 2)) {
      for (const file of files(name)) fs.rmSync(path.join(dir, file), { force: true });
    }
  } catch {
    // Only an optimisation.
  }
}

/** Written to a temp name and renamed into place: a parallel run or a crash never leaves half a file under the name. */
function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/** The render an entry names, when its file is there and matches the entry's digest. */
function readRender(file: string, entry: Entry): RenderResult | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    if (sha256(text) !== entry.digest) return undefined;
    const stored = JSON.parse(text) as StoredRender;
    if (!isStoredRender(stored)) return undefined;
    return { files: new Map(stored.files), identities: stored.identities, warnings: entry.warnings };
  } catch {
    return undefined;
  }
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

function isEntry(e: Entry): boolean {
  const strings = (list: unknown) => Array.isArray(list) && list.every((s) => typeof s === 'string');
  return typeof e.digest === 'string'
    && typeof e.facts === 'object' && e.facts !== null && typeof e.facts.id === 'string' && typeof e.facts.namespace === 'string'
    && Array.isArray(e.facts.sharing) && strings(e.facts.operatorApps) && typeof e.facts.clusterProblems === 'boolean'
    && typeof e.render === 'object' && e.render !== null && typeof e.render.files === 'number' && strings(e.render.foreignObjects)
    && Array.isArray(e.warnings) && e.warnings.every((w) => typeof w?.file === 'string' && typeof w.message === 'string');
}

function isStoredRender(value: unknown): value is StoredRender {
  const v = value as StoredRender;
  return typeof v === 'object' && v !== null
    && Array.isArray(v.files) && v.files.every((f) => Array.isArray(f) && f.length === 2 && typeof f[0] === 'string' && typeof f[1] === 'string')
    && Array.isArray(v.identities) && v.identities.every((i) => typeof i?.file === 'string' && typeof i.object?.kind === 'string');
}
