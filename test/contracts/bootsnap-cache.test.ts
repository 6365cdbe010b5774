import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { objectAt, renderExample, tempDir } from '../helpers';
import { describeWithRuby } from '../programs';

/**
 * CONTRACT: bootsnap keys a compile-cache entry by the *source* path (Shopify/bootsnap@v1.18.6
 * ext/bootsnap/bootsnap.c:305-312, bs_cache_path: `<cachedir>/<hash of the path>`) and checks it
 * against the source's size and mtime, so the image's precompiled cache, copied to another
 * directory and named by BOOTSNAP_CACHE_DIR (lib/bootsnap.rb:87), is used as it is.
 *
 * The Sidekiq pods hide the image's /opt/mastodon/tmp under an emptyDir (the ready file lives
 * there). This test takes the rendered `seed-bootsnap-cache` init container and BOOTSNAP_CACHE_DIR
 * of the example's Sidekiq pool, builds an "image" whose cache is precompiled by the real bootsnap
 * (Debian's ruby-bootsnap), runs the rendered command with its paths mapped into a scratch
 * directory, and loads the source through the copy: no cache entry is written or rewritten (a
 * hit). The same load through an empty cache directory writes entries, and a source touched after
 * the copy rewrites its entry, so the test can fail.
 */

const BOOTSNAP = 'require "bootsnap"';
const suite = describeWithRuby(BOOTSNAP, 'apt-get install ruby ruby-bootsnap');

/** Loads `file` with bootsnap's compile cache in `cacheDir` (as config/boot.rb's bootsnap/setup does). */
const LOAD = [
  'require "bootsnap"',
  'Bootsnap.setup(cache_dir: ARGV[0], development_mode: false, load_path_cache: false, compile_cache_iseq: true, compile_cache_yaml: false, compile_cache_json: false)',
  'load ARGV[1]',
].join('; ');

function load(cacheDir: string, file: string): void {
  const run = spawnSync('ruby', ['-e', LOAD, cacheDir, file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ruby failed: ${run.stderr}`);
}

/** Every file under `dir` with its size and mtime: what a load wrote shows here. */
function entries(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(dir)) return out;
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const stat = fs.statSync(path.join(dir, name), { bigint: true });
    if (stat.isFile()) out.set(name, `${stat.size}@${stat.mtimeNs}`);
  }
  return out;
}

suite('CONTRACT Shopify/bootsnap bs_cache_path: the image\'s precompiled cache, copied for Sidekiq, is used as it is', () => {
  const sidekiq = objectAt(renderExample(), 'example/mastodon/Deployment.sidekiq-default.yaml').spec.template.spec;
  const seed = (sidekiq.initContainers ?? []).find((c: any) => c.name === 'seed-bootsnap-cache');
  const cacheDir: string = sidekiq.containers[0].env.find((e: any) => e.name === 'BOOTSNAP_CACHE_DIR')?.value;
  const imageCache = '/opt/mastodon/tmp/cache';

  test('GIVEN the Sidekiq pod THEN an init container copies the image\'s cache onto a volume it mounts, and BOOTSNAP_CACHE_DIR names the copy', () => {
    expect(seed).toBeDefined();
    expect(seed.command.join(' ')).toContain(imageCache);
    expect(seed.volumeMounts.some((m: any) => cacheDir.startsWith(`${m.mountPath}/`))).toBe(true);
    // The copy is not under the emptyDir that hides the image's cache.
    expect(sidekiq.containers[0].volumeMounts.some((m: any) => imageCache.startsWith(`${m.mountPath}/`) && cacheDir.startsWith(`${m.mountPath}/`))).toBe(false);
  });

  test('GIVEN an image whose cache bootsnap precompiled WHEN the rendered command copies it and Ruby loads through the copy THEN nothing is compiled again', () => {
    const root = tempDir();
    const map = (p: string) => path.join(root, p);
    const source = map('opt/mastodon/app/hello.rb');
    fs.mkdirSync(path.dirname(source), { recursive: true });
    fs.writeFileSync(source, 'module Hello; def self.hi = :hi; end\n');
    // The image build: `bootsnap precompile` writes into /opt/mastodon/tmp/cache.
    load(map(imageCache.slice(1)), source);
    expect(entries(map(imageCache.slice(1))).size).toBeGreaterThan(0);

    const script = seed.command[2].split(imageCache).join(map(imageCache.slice(1))).split(cacheDir).join(map(cacheDir.slice(1)));
    fs.mkdirSync(path.dirname(map(cacheDir.slice(1))), { recursive: true });
    const copy = spawnSync(seed.command[0], [seed.command[1], script], { encoding: 'utf8' });
    expect(copy.status).toBe(0);
    const copied = entries(map(cacheDir.slice(1)));
    expect(copied.size).toBeGreaterThan(0);

    // A second run of the init container (a restarted pod sandbox keeps its emptyDir) changes nothing.
    expect(spawnSync(seed.command[0], [seed.command[1], script]).status).toBe(0);
    expect(entries(map(cacheDir.slice(1)))).toEqual(copied);

    load(map(cacheDir.slice(1)), source);
    expect(entries(map(cacheDir.slice(1)))).toEqual(copied);

    // The test can fail: an empty cache directory is written to, and a changed source is compiled again.
    const empty = map('tmp/empty');
    load(empty, source);
    expect(entries(empty).size).toBeGreaterThan(0);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(source, later, later);
    load(map(cacheDir.slice(1)), source);
    expect(entries(map(cacheDir.slice(1)))).not.toEqual(copied);
  });
});
