#!/usr/bin/env node
'use strict';
// Runs the TypeScript CLI straight from source, with no separate build step to forget.
//
// esbuild bundles lib/cli/main.ts and its dependencies into node_modules/.cache/mastodon-cdk8s/
// (tree-shaking the multi-megabyte generated imports/), with the JSON Schema validators precompiled
// by ajv's standalone mode instead of compiled on every run, and V8's code cache of the bundle kept
// beside it, so a synth costs less than loading cdk8s-plus-28 the ordinary way. The bundle is
// rebuilt whenever any file it was built from changes. The cache only saves time: the rendered
// output never depends on it. Type-checking is `npm run typecheck`; tests run the sources through
// ts-jest (which reports TypeScript line numbers).
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const root = path.join(__dirname, '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'mastodon-cdk8s');
const bundleFile = path.join(cacheDir, 'cli.js');
const inputsFile = path.join(cacheDir, 'inputs.json');
/**
 * V8's code cache of the bundle, one per command: a cache holds the functions its run compiled, and
 * a cache made by `--help` would leave every later synth compiling most of its functions again.
 */
const codeCacheFile = path.join(cacheDir, `cli.${/^[a-z][a-z-]*$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other'}.v8cache`);
/** Beside a code cache made by a run that rendered an instance (loadBundle). */
const renderedMarker = `${codeCacheFile}.rendered`;
const CODE_CACHE_NAME = /^cli\.([a-z][a-z-]*\.)?v8cache(\.rendered)?$/;
const renderCacheDir = path.join(cacheDir, 'render');
/** The bundle's last line: a content hash of the program (the bundle and package-lock.json), which keys the render cache (lib/app/render-cache.ts). */
const PROGRAM_TRAILER = /\n\/\/# mastodon-cdk8s-program ([0-9a-f]{64})\n$/;
/** Faster, same-output forms of three hot functions of dependencies, applied while bundling. */
const BUNDLE_PATCHES = 'scripts/bundle-patches.js';
const common = { absWorkingDir: root, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' };

/** Fingerprint of a file: its size and modification time. */
function stamp(file) {
  try {
    const s = fs.statSync(path.join(root, file));
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function isFresh() {
  try {
    const inputs = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
    return fs.existsSync(bundleFile) && Object.entries(inputs).every(([file, s]) => stamp(file) === s);
  } catch {
    return false;
  }
}

async function build() {
  const esbuild = require('esbuild');
  const patches = require(path.join(root, BUNDLE_PATCHES));
  const validators = require('../scripts/standalone-validators').standaloneValidators(root);
  const precompiledValidators = {
    name: 'precompiled-validators',
    setup(b) {
      b.onLoad({ filter: /[\\/]lib[\\/]config[\\/]validators\.ts$/ }, () => ({ contents: validators.code, loader: 'js', resolveDir: root }));
    },
  };
  const bundlePatches = {
    name: 'bundle-patches',
    setup(b) {
      for (const { filter, patch } of patches.PATCHED_FILES) {
        b.onLoad({ filter }, (args) => {
          const source = fs.readFileSync(args.path, 'utf8');
          return { contents: patch(source), loader: args.path.endsWith('.ts') ? 'ts' : 'js', resolveDir: path.dirname(args.path) };
        });
      }
    },
  };
  // Written beside the cache and renamed into place, so a parallel run never loads half a bundle.
  const staging = `${bundleFile}.${process.pid}.tmp`;
  const result = await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'lib', 'cli', 'main.ts')],
    outfile: staging,
    metafile: true,
    plugins: [precompiledValidators, bundlePatches],
  });
  // In the bundle itself, so the hash always belongs to the bundle that is loaded.
  const program = require('node:crypto').createHash('sha256').update(fs.readFileSync(staging)).update(readOrEmpty(path.join(root, 'package-lock.json'))).digest('hex');
  fs.appendFileSync(staging, `\n//# mastodon-cdk8s-program ${program}\n`);
  const inputs = {};
  const ownInputs = [...validators.inputs, ...Object.keys(result.metafile.inputs)].filter((f) => !f.startsWith('node_modules/'));
  for (const file of [path.relative(root, __filename), BUNDLE_PATCHES, 'package-lock.json', ...ownInputs]) {
    inputs[file] = stamp(file);
  }
  for (const name of fs.readdirSync(cacheDir).filter((n) => CODE_CACHE_NAME.test(n))) fs.rmSync(path.join(cacheDir, name), { force: true });
  fs.renameSync(staging, bundleFile);
  fs.writeFileSync(inputsFile, JSON.stringify(inputs));
}

function readOrEmpty(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}

/** Loads the bundle through V8's code cache, and refreshes the cache when it was missing or stale. */
function loadBundle() {
  let cachedData;
  try {
    cachedData = fs.readFileSync(codeCacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = fs.readFileSync(bundleFile, 'utf8');
  const script = new vm.Script(Module.wrap(source), { filename: bundleFile, cachedData });
  const cli = new Module(bundleFile, module);
  cli.filename = bundleFile;
  cli.paths = Module._nodeModulePaths(cacheDir);
  // A whole require (with require.resolve), resolving from the bundle's folder as a loaded file's would.
  script.runInThisContext().call(cli.exports, cli.exports, Module.createRequire(bundleFile), cli, bundleFile, cacheDir);
  /**
   * Writes the cache when it was missing or stale, and once more when this run rendered an instance
   * and the run that made it did not (a marker beside it): the new one holds both runs' functions.
   * Only an optimisation: a cache that cannot be written (read-only node_modules) is skipped.
   */
  const saveCodeCache = () => {
    const rendered = cli.exports.instancesRenderedOnThisThread() > 0;
    const fresh = cachedData === undefined || script.cachedDataRejected;
    if (!fresh && !(rendered && !fs.existsSync(renderedMarker))) return;
    try {
      fs.writeFileSync(`${codeCacheFile}.${process.pid}.tmp`, script.createCachedData());
      fs.renameSync(`${codeCacheFile}.${process.pid}.tmp`, codeCacheFile);
      if (rendered) fs.writeFileSync(renderedMarker, '');
      else fs.rmSync(renderedMarker, { force: true });
    } catch {
      // keep going without it
    }
  };
  return { cli: cli.exports, saveCodeCache, program: PROGRAM_TRAILER.exec(source.slice(-100))?.[1] };
}

/**
 * Instances to render on worker threads (lib/app/render-pool.ts), and output folders whose stats a
 * worker checks too (lib/render/folder-stats.ts): `always` and `never` are for the tests that
 * compare both; the output is the same either way.
 */
function parallelOptions(spare) {
  const forced = process.env.MASTODON_CDK8S_PARALLEL;
  if (forced === 'never') return undefined;
  if (forced === 'always') return { workerFile: __filename, minInstances: 1, workers: Math.max(2, require('node:os').availableParallelism()), statsWorkerFrom: 0, spareThread: spare };
  return { workerFile: __filename, spareThread: spare };
}

/** The commands that check the stats of the output folders the last synth wrote (lib/render/folder-stats.ts). */
const CHECKING_STATS = new Set(['synth', 'diff']);

async function run() {
  const command = process.argv[2];
  // Before the bundle loads: the thread starts while this one loads and compiles the bundle.
  const spare = CHECKING_STATS.has(command) && process.env.MASTODON_CDK8S_PARALLEL !== 'never' ? spareThread(path.join(cacheDir, `spare-thread-${command}`)) : undefined;
  try {
    if (!isFresh()) await build();
    const { cli, saveCodeCache, program } = loadBundle();
    // Only test/cli/crash.test.ts sets it: the write kills the process at that step.
    if (process.env.MASTODON_CDK8S_CRASH_AT_STEP) cli.crashAtStep(Number(process.env.MASTODON_CDK8S_CRASH_AT_STEP));
    const settings = { parallel: parallelOptions(spare), ...(program ? { renderCache: { dir: renderCacheDir, program } } : {}) };
    const code = await cli.main(process.argv.slice(2), settings);
    // After the run, so the cache also holds the functions V8 compiled lazily.
    saveCodeCache();
    return code;
  } finally {
    spare?.done();
  }
}

// A reader that stops early (`| head`) closes the pipe: the rest of the output has nowhere to go,
// which is not an error of the run, whose exit code stands. Any other failure to write is told
// plainly, not as an unhandled 'error' event with a stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') return;
  process.stderr.write(`error: cannot write the output: ${e.message}\n`);
  process.exit(1);
});

const threads = require('node:worker_threads');
const { spareThread } = require('./spare-thread');
if (!threads.isMainThread && threads.workerData?.marker === 'mastodon-cdk8s render worker') {
  // A render worker the CLI started: the bundle is fresh (the CLI's own thread built it).
  loadBundle().cli.renderWorker();
} else {
  run().then((code) => {
    process.exitCode = code;
  });
}
