import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { MainSettings } from '../../lib/cli/main';
import { loadInstance } from '../../lib/app/load';
import { RenderCache } from '../../lib/app/render-cache';
import { ClusterFiles } from '../../lib/config/clusters';
import { SharedDefaults } from '../../lib/config/shared-defaults';
import { clusterFile, configRoot, EXAMPLE_OPERATORS, exampleAs, selecting } from '../clusters/fixture';
import { listTree, runCli, tempDir } from '../helpers';
import { Mutation, mutate, mutation, numRuns, seed } from './mutations';

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
  | { readonly op: 'drop-cache' };

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
    return fs.existsSync(this.cache) ? fs.readdirSync(this.cache).sort().map((n) => path.join(this.cache, n)) : [];
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
          if (fs.existsSync(folder)) fs.appendFileSync(path.join(folder, fs.readdirSync(folder).sort()[0]), '# edited by hand\n');
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
    }
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
  test('GIVEN random edits round after round THEN cached and full renders are byte-identical, with the same exit and messages', async () => {
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
    }), { numRuns: numRuns(5), seed: seed() });
  }, 300_000);

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

  test('GIVEN another program (a rebuilt bundle) THEN no entry is reused', async () => {
    const repo = new Repo(tempDir(), 2);
    await repo.synth('cached');
    const r = await runCli(['synth', ...repo.instances().flatMap((d) => ['--config', d]), '--out', path.join(repo.root, 'cached')], { renderCache: { dir: repo.cache, program: 'another-program' } });
    expect(r.stdout).not.toContain('render cache');
  }, 120_000);

  test('GIVEN a corrupt entry THEN it is ignored, the instance rendered again and the entry replaced', async () => {
    const repo = new Repo(tempDir(), 2);
    await repo.synth('cached');
    repo.apply({ op: 'corrupt', i: 0, how: 'digest' });
    expect((await repo.synth('cached')).reused).toBe(1);
    expect((await repo.synth('cached')).reused).toBe(2);
  }, 120_000);

  test('GIVEN an instance on a cluster file WHEN only the cluster file changes THEN its key changes (the file decides who installs the operators)', () => {
    const cache = new RenderCache({ dir: tempDir(), program: 'test-program' });
    const root = configRoot({ 'example/instance.yaml': exampleAs('example', selecting('main')), 'clusters/main.yaml': clusterFile(EXAMPLE_OPERATORS) });
    const key = () => cache.key(loadInstance(path.join(root, 'example'), new SharedDefaults(), undefined, new ClusterFiles()));
    const before = key();
    expect(key()).toBe(before);
    fs.writeFileSync(path.join(root, 'clusters', 'main.yaml'), clusterFile(`${EXAMPLE_OPERATORS}\n  keda: {}`));
    expect(key()).not.toBe(before);
  });
});
