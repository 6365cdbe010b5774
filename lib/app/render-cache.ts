import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigProblem } from '../core/errors';
import { SEALED_FOLDER } from '../config/sealed-secrets';
import { LoadedInstance } from '../config/types';
import { RenderedObject } from '../validate/object-problem';
import { WriteManifestOptions } from '../render/write';
import { RenderResult } from './render';

/**
 * Renders kept between runs, so that re-rendering a thousand instances after editing one renders
 * that one (issue 17). An entry is found by a content hash of everything an instance's render
 * depends on: the program (the CLI bundle, which holds lib/, imports/ and every bundled
 * dependency, and package-lock.json: `program`), Node's major version, the instance folder as
 * given and its id, and the text and shown name of every configuration file it was loaded from
 * (its own, the shared defaults and its cluster file), and the files of its `sealed/` folder. The render reads nothing else: no clock, environment or
 * network (README), and the messages' paths are those shown names.
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
const FORMAT = 'mastodon-cdk8s render cache 1';

/**
 * Entries kept at most: one per instance folder rendered from this checkout, so a hosting
 * provider's thousand fit; beyond it (folders of temporary checkouts), the least recently
 * written half goes.
 */
export const MAX_ENTRIES = 4096;

/** Where the manifests of written output folders are kept, beside the entries. */
const WRITTEN_FOLDER = 'written';

interface Entry {
  readonly format: string;
  readonly key: string;
  /** sha256 of `render`'s JSON. */
  readonly digest: string;
  readonly render: string;
}

interface StoredRender {
  readonly files: [string, string][];
  readonly identities: readonly RenderedObject[];
  readonly warnings: readonly ConfigProblem[];
}

export class RenderCache {
  /** Instances rendered in this run, and those taken from the cache. */
  public rendered = 0;
  public reused = 0;
  /** The key of each instance rendered or reused in this run, by id. */
  public readonly keys = new Map<string, string>();
  private written = false;

  constructor(private readonly options: RenderCacheOptions) {}

  /** The render of `loaded`, from the cache when an entry matches, else rendered and kept. */
  public render(loaded: LoadedInstance, renderInstance: (loaded: LoadedInstance) => RenderResult): RenderResult {
    return this.lookup(loaded) ?? this.store(loaded, renderInstance(loaded));
  }

  /** The cached render of `loaded`, when an entry matches. */
  public lookup(loaded: LoadedInstance): RenderResult | undefined {
    const key = this.key(loaded);
    this.keys.set(loaded.id, key);
    const cached = this.read(loaded, key);
    if (cached) this.reused += 1;
    return cached;
  }

  /** Keeps a render of `loaded` that `lookup` did not find (rendered here or in a worker thread, lib/app/render-pool.ts). */
  public store(loaded: LoadedInstance, result: RenderResult): RenderResult {
    this.rendered += 1;
    this.write(loaded, this.keys.get(loaded.id) ?? this.key(loaded), result);
    return result;
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

  /** Keeps the cache within MAX_ENTRIES; call once at the end of a run. */
  public prune(): void {
    if (!this.written) return;
    try {
      const names = fs.readdirSync(this.options.dir).filter((n) => n.endsWith('.json'));
      if (names.length <= MAX_ENTRIES) return;
      const byAge = names.map((name) => ({ name, mtime: fs.statSync(path.join(this.options.dir, name)).mtimeMs })).sort((a, b) => a.mtime - b.mtime);
      for (const { name } of byAge.slice(0, names.length - MAX_ENTRIES / 2)) fs.rmSync(path.join(this.options.dir, name), { force: true });
    } catch {
      // Only an optimisation.
    }
  }

  /** The content hash of everything the render of `loaded` depends on. */
  public key(loaded: LoadedInstance): string {
    const hash = crypto.createHash('sha256');
    const add = (value: string) => hash.update(`${value.length}:${value}`);
    add(FORMAT);
    add(this.options.program);
    add(process.versions.node.split('.')[0]);
    add(loaded.dir);
    add(loaded.id);
    // The cluster file decides who installs the operators (lib/model/build.ts): its text counts too.
    const sources = [loaded.sources.instance, loaded.sources.queuePlan, ...(loaded.cluster ? [loaded.cluster.source] : [])];
    add(String(sources.length));
    for (const source of sources) {
      add(String(source.inputs.length));
      for (const input of source.inputs) {
        add(input.file);
        add(input.text);
      }
    }
    // The committed SealedSecrets are copied into the output (secrets.delivery: sealed-secrets).
    for (const [file, text] of filesUnder(path.join(loaded.dir, SEALED_FOLDER))) {
      add(file);
      add(text);
    }
    return hash.digest('hex');
  }

  /** One entry per instance folder: a new render of it replaces the old one. */
  private entryFile(loaded: LoadedInstance): string {
    return path.join(this.options.dir, `${crypto.createHash('sha256').update(path.resolve(loaded.dir)).digest('hex').slice(0, 32)}.json`);
  }

  private read(loaded: LoadedInstance, key: string): RenderResult | undefined {
    try {
      const entry = JSON.parse(fs.readFileSync(this.entryFile(loaded), 'utf8')) as Entry;
      if (entry?.format !== FORMAT || entry.key !== key || typeof entry.render !== 'string' || entry.digest !== sha256(entry.render)) return undefined;
      const stored = JSON.parse(entry.render) as StoredRender;
      if (!isStoredRender(stored)) return undefined;
      return { files: new Map(stored.files), identities: stored.identities, warnings: stored.warnings };
    } catch {
      // Missing, unreadable or corrupt: rendered again.
      return undefined;
    }
  }

  private write(loaded: LoadedInstance, key: string, result: RenderResult): void {
    const render = JSON.stringify({ files: [...result.files], identities: result.identities, warnings: result.warnings } satisfies StoredRender);
    const entry: Entry = { format: FORMAT, key, digest: sha256(render), render };
    const file = this.entryFile(loaded);
    const temp = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(this.options.dir, { recursive: true });
      fs.writeFileSync(temp, JSON.stringify(entry));
      // Renamed into place: a parallel run or a crash never leaves half an entry under the name.
      fs.renameSync(temp, file);
      this.written = true;
    } catch {
      // A cache that cannot be written (read-only node_modules, a full disk) is skipped.
      fs.rmSync(temp, { force: true });
    }
  }
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

function isStoredRender(value: unknown): value is StoredRender {
  const v = value as StoredRender;
  return typeof v === 'object' && v !== null
    && Array.isArray(v.files) && v.files.every((f) => Array.isArray(f) && f.length === 2 && typeof f[0] === 'string' && typeof f[1] === 'string')
    && Array.isArray(v.identities) && v.identities.every((i) => typeof i?.file === 'string' && typeof i.object?.kind === 'string')
    && Array.isArray(v.warnings) && v.warnings.every((w) => typeof w?.file === 'string' && typeof w.message === 'string');
}

/** Every file under `dir` (none when it does not exist), by relative path, sorted. */
function filesUnder(dir: string): [string, string][] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort()
    .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]);
}
