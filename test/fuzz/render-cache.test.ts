import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { MainSettings } from '../../lib/cli/main';
import { MAX_ENTRIES, MAX_MANIFESTS, RenderCache } from '../../lib/app/render-cache';
import { RenderInputs } from '../../lib/app/render-inputs';
import { loadInstance } from '../../lib/app/load';
import { renderInstance } from '../../lib/app/render';
import { readSealedSecrets } from '../../lib/config/sealed-secrets';
import { clusterFile, configRoot, EXAMPLE_OPERATORS, exampleAs, selecting } from '../clusters/fixture';
import { listTree, REPO, runCli, tempDir } from '../helpers';
import { SpareThread, ThreadJob } from '../../lib/core/threads';
import { Mutation, mutate, mutation, numRuns, seed } from './mutations';

// Every read passes through, counted: a folder found as written is not read back.
jest.mock('node:fs', () => {
  const actual = jest.requireActual('node:fs');
  return { ...actual, readFileSync: jest.fn(actual.readFileSync), openSync: jest.fn(actual.openSync), lstatSync: jest.fn(actual.lstatSync) };
});
const reads = fs.readFileSync as unknown as jest.Mock;
const opens = fs.openSync as unknown as jest.Mock;
const lstats = fs.lstatSync as unknown as jest.Mock;

// The benchmark's generator: config/example's settings as config/defaults, short instance files.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generateInstances, instanceYaml, instanceId } = require('../../scripts/generate-instances') as {
  generateInstances: (dir: string, count: number) => string[];
  instanceYaml: (id: string, options: { installsOperators: boolean; sender?: string }) => string;
  instanceId: (i: number) => string;
};

/**
 * The render cache (lib/app/render-cache.ts) must never change what synth writes or prints:
 * GIVEN a hosting provider's repository WHEN it is edited at random, round after round (an
 * instance's values or only its line positions, the shared defaults, instances added and
 * removed, files rewritten unchanged, dist/ edited by hand, cache entries corrupted, swapped or
 * deleted) THEN a synth with the cache and a synth with --no-cache give byte-identical trees,
 * the same exit code and the same messages; and an unchanged instance is not rendered again.
 */

type Edit =
  | { readonly op: 'sender'; readonly i: number; readonly n: number }
  | { readonly op: 'comment'; readonly i: number }
  | { readonly op: 'touch'; readonly i: number }
  | { readonly op: 'defaults'; readonly mutations: Mutation[] }
  | { readonly op: 'defaults-comment' }
  | { readonly op: 'add' }
  | { readonly op: 'remove'; readonly i: number }
  | { readonly op: 'dist'; readonly i: number }
  | { readonly op: 'corrupt'; readonly i: number; readonly how: 'garbage' | 'truncate' | 'digest' | 'swap' }
  | { readonly op: 'drop-cache' }
  | { readonly op: 'share'; readonly i: number; readonly what: 'namespace' | 'prefix' | 'operators' };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('sender' as const), i: fc.nat(5), n: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('comment' as const), i: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('touch' as const), i: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('defaults' as const), mutations: fc.array(mutation, { minLength: 1, maxLength: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('defaults-comment' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('add' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), i: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dist' as const), i: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('corrupt' as const), i: fc.nat(5), how: fc.constantFrom('garbage' as const, 'truncate' as const, 'digest' as const, 'swap' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop-cache' as const) }) },
  // What two instances must not share (a check across instances), taken from the first.
  { weight: 2, arbitrary: fc.record({ op: fc.constant('share' as const), i: fc.nat(5), what: fc.constantFrom('namespace' as const, 'prefix' as const, 'operators' as const) }) },
);

class Repo {
  readonly config: string;
  readonly cache: string;
  readonly settings: MainSettings;
  private next: number;

  constructor(readonly root: string, instances: number) {
    this.config = path.join(root, 'config');
    this.cache = path.join(root, 'cache');
    this.settings = { renderCache: { dir: this.cache, program: 'test-program' } };
    generateInstances(this.config, instances);
    this.next = instances;
  }

  instances(): string[] {
    return fs.readdirSync(this.config).filter((n) => n !== 'defaults').sort().map((n) => path.join(this.config, n));
  }

  entries(): string[] {
    return fs.existsSync(this.cache) ? fs.readdirSync(this.cache).filter((n) => n.endsWith('.json')).sort().map((n) => path.join(this.cache, n)) : [];
  }

  apply(e: Edit): void {
    const dirs = this.instances();
    const pick = <T>(list: T[], i: number) => list[i % list.length];
    const file = (i: number) => path.join(pick(dirs, i), 'instance.yaml');
    const entries = this.entries();
    switch (e.op) {
      case 'sender': {
        const id = path.basename(pick(dirs, e.i));
        fs.writeFileSync(file(e.i), instanceYaml(id, { installsOperators: id === instanceId(0), sender: `notifications-${e.n}` }));
        break;
      }
      case 'comment': fs.writeFileSync(file(e.i), `# moved down a line\n${fs.readFileSync(file(e.i), 'utf8')}`); break;
      case 'touch': fs.writeFileSync(file(e.i), fs.readFileSync(file(e.i))); break;
      case 'defaults': {
        const defaults = path.join(this.config, 'defaults', 'instance.yaml');
        fs.writeFileSync(defaults, mutate(fs.readFileSync(defaults, 'utf8'), e.mutations).text);
        break;
      }
      case 'defaults-comment': fs.appendFileSync(path.join(this.config, 'defaults', 'queue-plan.yaml'), '# reviewed\n'); break;
      case 'add': {
        const id = instanceId(this.next++);
        fs.mkdirSync(path.join(this.config, id));
        fs.writeFileSync(path.join(this.config, id, 'instance.yaml'), instanceYaml(id, { installsOperators: false }));
        break;
      }
      case 'remove': if (dirs.length > 1) fs.rmSync(pick(dirs, e.i), { recursive: true }); break;
      case 'dist':
        for (const out of ['cached', 'full']) {
          const folder = path.join(this.root, out, path.basename(pick(dirs, e.i)), 'mastodon');
          if (!fs.existsSync(folder)) continue;
          // A value changed by hand (a diff must see it), or a comment where there is no namespace.
          const file = path.join(folder, fs.readdirSync(folder).sort()[0]);
          const text = fs.readFileSync(file, 'utf8');
          fs.writeFileSync(file, text.includes('namespace: ') ? text.replace('namespace: ', 'namespace: hand-') : `${text}# edited by hand\n`);
        }
        break;
      case 'corrupt': {
        if (entries.length === 0) break;
        const target = pick(entries, e.i);
        const text = fs.readFileSync(target, 'utf8');
        if (e.how === 'garbage') fs.writeFileSync(target, 'not json {');
        if (e.how === 'truncate') fs.writeFileSync(target, text.slice(0, Math.floor(text.length / 2)));
        // Valid JSON, right key, a file's content changed: only the digest tells.
        if (e.how === 'digest') fs.writeFileSync(target, text.replace('replicas', 'replicaz'));
        // Another instance's entry in this one's place: its key differs.
        if (e.how === 'swap' && entries.length > 1) fs.copyFileSync(pick(entries, e.i + 1), target);
        break;
      }
      case 'drop-cache': fs.rmSync(this.cache, { recursive: true, force: true }); break;
      case 'share': {
        const target = file(e.i);
        const first = instanceId(0);
        const text = fs.readFileSync(target, 'utf8');
        if (e.what === 'namespace') fs.writeFileSync(target, text.replace(/^namespace: .*$/m, `namespace: ${first}`));
        if (e.what === 'prefix') fs.writeFileSync(target, text.replace(/^ {2}prefix: .*$/m, `  prefix: ${first.replace('-', '_')}`));
        // A second instance installing the cluster's operators: their Applications would be rendered twice.
        if (e.what === 'operators') fs.writeFileSync(target, text.replace('argocd:\n  operators: none\n', ''));
        break;
      }
    }
  }

  async diff(cached: boolean) {
    const r = await runCli(['diff', ...this.instances().flatMap((d) => ['--config', d]), '--dist', path.join(this.root, 'cached'), ...(cached ? [] : ['--no-cache'])], this.settings);
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  }

  async synth(out: 'cached' | 'full') {
    const args = ['synth', ...this.instances().flatMap((d) => ['--config', d]), '--out', path.join(this.root, out), ...(out === 'full' ? ['--no-cache'] : [])];
    const r = await runCli(args, this.settings);
    // What may differ: the output folder's name, and the cache's own note.
    const same = (s: string) => s.split(path.join(this.root, out)).join('<out>').replace(/; \d+ of \d+ instances? unchanged, from the render cache/, '');
    return { code: r.code, stdout: same(r.stdout), stderr: same(r.stderr), reused: Number(/; (\d+) of/.exec(r.stdout)?.[1] ?? 0) };
  }
}

describe('the render cache', () => {
  test('GIVEN random edits round after round THEN cached and full renders are byte-identical, with the same exit and messages, and diff reports the same', async () => {
    await fc.assert(fc.asyncProperty(fc.array(edit, { minLength: 2, maxLength: 4 }), async (edits) => {
      const repo = new Repo(tempDir(), 2);
      for (const e of [undefined, ...edits]) {
        if (e) repo.apply(e);
        const cached = await repo.synth('cached');
        const full = await repo.synth('full');
        expect({ ...cached, reused: 0 }).toEqual({ ...full, reused: 0 });
        expect(listTree(path.join(repo.root, 'cached'))).toEqual(listTree(path.join(repo.root, 'full')));
        // --no-cache neither reads nor writes the cache.
        expect(full.reused).toBe(0);
      }
      // diff takes folders synth left as written from the render, not from disk: the same report,
      // with nothing changed and after a hand edit.
      expect(await repo.diff(true)).toEqual(await repo.diff(false));
      repo.apply({ op: 'dist', i: edits.length });
      expect(await repo.diff(true)).toEqual(await repo.diff(false));
    }), { numRuns: numRuns(5), seed: seed() });
  }, 300_000);

  test.each(['namespace', 'prefix', 'operators'] as const)('GIVEN two instances that share a %s WHEN one of them is cached THEN synth reports the check across instances exactly as without the cache, and writes nothing', async (what) => {
    const repo = new Repo(tempDir(), 3);
    await repo.synth('cached');
    await repo.synth('full');
    const before = listTree(path.join(repo.root, 'cached'));
    repo.apply({ op: 'share', i: 2, what });
    const cached = await repo.synth('cached');
    const full = await repo.synth('full');
    expect(cached.code).toBe(1);
    expect(cached.stderr).toMatch(/^error: /);
    expect({ ...cached, reused: 0 }).toEqual({ ...full, reused: 0 });
    expect(listTree(path.join(repo.root, 'cached'))).toEqual(before);
  }, 120_000);

  test('GIVEN an instance in Argo CD\'s namespace (the facts cannot rule out a clash with the others\' Applications there) WHEN synth runs with the cache THEN the checks run over all instances and the result is the one without the cache', async () => {
    const repo = new Repo(tempDir(), 3);
    await repo.synth('cached');
    await repo.synth('full');
    const file = path.join(repo.instances()[2], 'instance.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^namespace: .*$/m, 'namespace: argocd'));
    const cached = await repo.synth('cached');
    const full = await repo.synth('full');
    expect({ ...cached, reused: 0 }).toEqual({ ...full, reused: 0 });
    expect(listTree(path.join(repo.root, 'cached'))).toEqual(listTree(path.join(repo.root, 'full')));
    expect(cached.reused).toBeLessThanOrEqual(3);
  }, 120_000);

  test('GIVEN the files an instance\'s load and render read WHEN its key is taken THEN the key read every one of them', () => {
    const root = configRoot({ 'example/instance.yaml': exampleAs('example', selecting('main')), 'clusters/main.yaml': clusterFile(EXAMPLE_OPERATORS) });
    const sealed = path.join(root, 'example', 'sealed', 'example', 'mastodon-secrets.yaml');
    fs.mkdirSync(path.dirname(sealed), { recursive: true });
    fs.writeFileSync(sealed, 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\n');
    fs.mkdirSync(path.join(root, 'defaults'));
    fs.writeFileSync(path.join(root, 'defaults', 'queue-plan.yaml'), fs.readFileSync(path.join(root, 'example', 'queue-plan.yaml')));
    const dir = path.join(root, 'example');
    opens.mockClear();
    try {
      renderInstance(loadInstance(dir));
    } catch {
      // A render that fails (the sealed file above is not a whole SealedSecret) has still read its files.
    }
    try {
      readSealedSecrets(dir);
    } catch {
      // as above
    }
    const opened = new Set(opens.mock.calls.map(([file]) => path.resolve(String(file))));
    const inputs = new RenderInputs();
    expect(inputs.hash(dir)).toBeDefined();
    const keyed = new Set(inputs.lastFiles.map((f) => path.resolve(f)));
    expect([...opened].filter((f) => f.startsWith(root) && !keyed.has(f))).toEqual([]);
    expect([...opened].filter((f) => f.startsWith(root)).length).toBeGreaterThanOrEqual(4);
  });

  test('GIVEN one instance edited THEN only it is rendered again; --no-cache renders all and leaves the cache as it was', async () => {
    const repo = new Repo(tempDir(), 3);
    expect((await repo.synth('cached')).reused).toBe(0);
    expect((await repo.synth('cached')).reused).toBe(3);
    repo.apply({ op: 'sender', i: 1, n: 7 });
    const entries = repo.entries().map((f) => fs.readFileSync(f, 'utf8'));
    expect((await repo.synth('full')).reused).toBe(0);
    expect(repo.entries().map((f) => fs.readFileSync(f, 'utf8'))).toEqual(entries);
    expect((await repo.synth('cached')).reused).toBe(2);
  }, 120_000);

  test('GIVEN nothing changed since synth WHEN diff runs THEN it tells so from the cache and the write manifest: no render file and no output file is read', async () => {
    const repo = new Repo(tempDir(), 3);
    await repo.synth('cached');
    reads.mockClear();
    const fast = await repo.diff(true);
    const read = reads.mock.calls.map(([file]) => String(file));
    expect(read.filter((file) => file.endsWith('.files.json') || file.startsWith(path.join(repo.root, 'cached')))).toEqual([]);
    expect(fast).toEqual(await repo.diff(false));
    expect(fast.code).toBe(0);
  }, 120_000);

  test('GIVEN more entries than MAX_ENTRIES and more write manifests than MAX_MANIFESTS (old output folders, temporary ones) WHEN synth runs THEN the least recently written go, down to half, and what this run wrote stays', async () => {
    const repo = new Repo(tempDir(), 1);
    await repo.synth('cached');
    const ours = { entries: repo.entries(), manifests: fs.readdirSync(path.join(repo.cache, 'written')) };
    const old = (dir: string, count: number, files: (i: number) => string[]) => Array.from({ length: count }, (_, i) => {
      for (const file of files(i)) {
        fs.writeFileSync(path.join(dir, file), '{}');
        fs.utimesSync(path.join(dir, file), 1_000_000 + i, 1_000_000 + i);
      }
      return files(i);
    });
    const entries = old(repo.cache, MAX_ENTRIES, (i) => [`old-${i}.json`, `old-${i}.files.json`]);
    const manifests = old(path.join(repo.cache, 'written'), MAX_MANIFESTS, (i) => [`old-${i}.json`]);
    repo.apply({ op: 'sender', i: 0, n: 3 });
    await repo.synth('cached');
    expect({ entries: repo.entries().map((f) => path.basename(f)).sort(), manifests: fs.readdirSync(path.join(repo.cache, 'written')).sort() }).toEqual({
      entries: [...ours.entries.map((f) => path.basename(f)), ...entries.slice(-(MAX_ENTRIES / 2 - 1)).flat()].sort(),
      manifests: [...ours.manifests, ...manifests.slice(-(MAX_MANIFESTS / 2 - 1)).flat()].sort(),
    });
  }, 120_000);

  test('GIVEN another program (a rebuilt bundle) THEN no entry is reused', async () => {
    const repo = new Repo(tempDir(), 2);
    await repo.synth('cached');
    const r = await runCli(['synth', ...repo.instances().flatMap((d) => ['--config', d]), '--out', path.join(repo.root, 'cached')], { renderCache: { dir: repo.cache, program: 'another-program' } });
    expect(r.stdout).not.toContain('render cache');
  }, 120_000);

  test('GIVEN a corrupt entry THEN it is ignored, the instance rendered again and the entry replaced', async () => {
    const repo = new Repo(tempDir(), 2);
    await repo.synth('cached');
    fs.writeFileSync(repo.entries().find((f) => !f.endsWith('.files.json'))!, 'not json {');
    expect((await repo.synth('cached')).reused).toBe(1);
    expect((await repo.synth('cached')).reused).toBe(2);
  }, 120_000);

  test('GIVEN a corrupt render file WHEN its output folder is as written THEN it is not read; WHEN the folder was edited THEN the instance is rendered again and the folder restored', async () => {
    const repo = new Repo(tempDir(), 2);
    await repo.synth('cached');
    const written = listTree(path.join(repo.root, 'cached'));
    for (const file of repo.entries().filter((f) => f.endsWith('.files.json'))) fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('replicas', 'replicaz'));
    expect((await repo.synth('cached')).reused).toBe(2);
    repo.apply({ op: 'dist', i: 0 });
    const r = await repo.synth('cached');
    expect(r.stdout).toContain(`(updated: ${path.basename(repo.instances()[0])}`);
    expect(listTree(path.join(repo.root, 'cached'))).toEqual(written);
    // Its render file was replaced; the other instance's, never needed, was not read.
    expect(repo.entries().filter((f) => f.endsWith('.files.json') && fs.readFileSync(f, 'utf8').includes('replicaz')).length).toBe(1);
  }, 120_000);

  test('GIVEN an instance on a cluster file WHEN only the cluster file changes THEN its key changes (the file decides who installs the operators)', () => {
    const root = configRoot({ 'example/instance.yaml': exampleAs('example', selecting('main')), 'clusters/main.yaml': clusterFile(EXAMPLE_OPERATORS) });
    const key = () => new RenderCache({ dir: tempDir(), program: 'test-program' }).key(path.join(root, 'example'));
    const before = key();
    expect(key()).toBe(before);
    fs.writeFileSync(path.join(root, 'clusters', 'main.yaml'), clusterFile(`${EXAMPLE_OPERATORS}\n  keda: {}`));
    expect(key()).not.toBe(before);
  });

  test('GIVEN an optional file whose bytes are the word the key writes for an absent one THEN the key still tells them apart', () => {
    const root = configRoot({ 'example/instance.yaml': exampleAs('example') });
    const key = () => new RenderCache({ dir: tempDir(), program: 'test-program' }).key(path.join(root, 'example'));
    fs.rmSync(path.join(root, 'example', 'queue-plan.yaml'));
    const absent = key();
    fs.writeFileSync(path.join(root, 'example', 'queue-plan.yaml'), 'absent');
    expect(key()).not.toBe(absent);
  });

  test('GIVEN an instance WHEN only a file under its sealed/ folder changes THEN its key changes (synth copies the SealedSecrets)', () => {
    const root = configRoot({ 'example/instance.yaml': exampleAs('example') });
    const key = () => new RenderCache({ dir: tempDir(), program: 'test-program' }).key(path.join(root, 'example'));
    const none = key();
    const sealed = path.join(root, 'example', 'sealed', 'example', 'mastodon-secrets.yaml');
    fs.mkdirSync(path.dirname(sealed), { recursive: true });
    fs.writeFileSync(sealed, 'encryptedData: { SECRET_KEY_BASE: AgA1 }\n');
    const one = key();
    fs.writeFileSync(sealed, 'encryptedData: { SECRET_KEY_BASE: AgA2 }\n');
    expect(new Set([none, one, key()]).size).toBe(3);
  });

  test('GIVEN folders as the last synth wrote them WHEN a file is added in a subfolder, or one is deleted THEN the next synth finds it (the folders\' stats) and restores the folder', async () => {
    const repo = new Repo(tempDir(), 2);
    const out = path.join(repo.root, 'cached');
    await repo.synth('cached');
    const written = listTree(out);
    const [one, two] = repo.instances().map((d) => path.basename(d));
    fs.writeFileSync(path.join(out, one, 'mastodon', 'Stray.yaml'), 'kind: Stray\n');
    fs.rmSync(path.join(out, two, 'SECRETS.md'));
    const r = await repo.synth('cached');
    expect(r.stdout).toContain(`(updated: ${one}, ${two})`);
    expect(listTree(out)).toEqual(written);
  }, 120_000);

  test('GIVEN folders as the last synth wrote them WHEN synth --config selects one THEN only the selected folder\'s stats are read (the others are not written)', async () => {
    const repo = new Repo(tempDir(), 3);
    const out = path.join(repo.root, 'cached');
    await repo.synth('cached');
    const [one, two, three] = repo.instances().map((d) => path.basename(d));
    lstats.mockClear();
    const r = await runCli(['synth', '--config', path.join(repo.config, two), '--out', out], repo.settings);
    expect(r.stdout).toContain('(no changes; 1 of 1 instance unchanged, from the render cache)');
    const statted = new Set(lstats.mock.calls.map(([file]) => path.relative(out, String(file)).split(path.sep)[0]));
    expect([one, two, three].filter((id) => statted.has(id))).toEqual([two]);
  }, 120_000);

  test('GIVEN a synth that wrote its folders WHEN the next synth checks them, edited or not THEN it asks for the very check the last one remembered (which its spare thread started at launch: bin/spare-thread.js)', async () => {
    const repo = new Repo(tempDir(), 3);
    const stored = (job: ThreadJob) => JSON.stringify([job.source, Object.entries(job.data).map(([key, value]) => [key, value instanceof SharedArrayBuffer ? value.byteLength : value])]);
    const remembered: string[] = [];
    const taken: string[] = [];
    const spareThread: SpareThread = { take: (job) => void taken.push(stored(job)), remember: (job) => void remembered.push(stored(job)), release: () => undefined };
    const settings: MainSettings = { ...repo.settings, parallel: { workerFile: path.join(REPO, 'bin', 'mastodon-cdk8s.js'), statsWorkerFrom: 0, spareThread } };
    const synth = () => runCli(['synth', ...repo.instances().flatMap((d) => ['--config', d]), '--out', path.join(repo.root, 'cached')], settings);
    await synth();
    await synth();
    repo.apply({ op: 'sender', i: 1, n: 5 });
    await synth();
    expect({ remembered: remembered.length, taken: taken.length }).toEqual({ remembered: 3, taken: 2 });
    expect(taken).toEqual(remembered.slice(0, 2));
  }, 120_000);

  test('GIVEN a folder as the last synth wrote it THEN the next synth does not read it back; a file edited in place, keeping its size, is still restored', async () => {
    const repo = new Repo(tempDir(), 3);
    const out = path.join(repo.root, 'cached');
    await repo.synth('cached');
    const written = listTree(out);
    reads.mockClear();
    await repo.synth('cached');
    const readBack = reads.mock.calls.map(([file]) => String(file)).filter((file) => file.startsWith(`${out}${path.sep}`));
    expect(readBack).toEqual([]);
    // Their files are named after them; with the names taken out, the write manifest keeps one path list for the two alike (the first installs the operators).
    const manifests = fs.readdirSync(path.join(repo.cache, 'written')).map((name) => JSON.parse(fs.readFileSync(path.join(repo.cache, 'written', name), 'utf8')));
    expect(manifests.map((m) => [Object.keys(m.instances).length, m.shapes.length])).toEqual([[3, 2]]);
    // Without the cache (so without its manifest), the folders are read back to be compared.
    reads.mockClear();
    await runCli(['synth', ...repo.instances().flatMap((d) => ['--config', d]), '--out', out, '--no-cache']);
    expect(reads.mock.calls.filter(([file]) => String(file).startsWith(`${out}${path.sep}`)).length).toBeGreaterThan(0);
    const file = path.join(out, path.basename(repo.instances()[1]), 'SECRETS.md');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/[a-z]/, 'X'));
    expect(fs.readFileSync(file, 'utf8').length).toBe(text.length);
    const r = await repo.synth('cached');
    expect(r.stdout).toContain(`(updated: ${path.basename(repo.instances()[1])}`);
    expect(listTree(out)).toEqual(written);
  }, 120_000);
});
