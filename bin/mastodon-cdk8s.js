#!/usr/bin/env node
'use strict';
// Runs the TypeScript CLI straight from source, with no separate build step to forget.
//
// esbuild bundles lib/cli/main.ts into node_modules/.cache/mastodon-cdk8s/ (tree-shaking the
// multi-megabyte generated imports/), with the JSON Schema validators precompiled by ajv's
// standalone mode instead of compiled on every run. The bundle is rebuilt whenever any file it was
// built from changes. The cache only saves time: the rendered output never depends on it.
// Type-checking is `npm run typecheck`; tests run the sources through ts-jest.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const root = path.join(__dirname, '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'mastodon-cdk8s');
const bundleFile = path.join(cacheDir, 'cli.js');
const inputsFile = path.join(cacheDir, 'inputs.json');
const common = { absWorkingDir: root, bundle: true, packages: 'external', platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' };

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

/** Loads a bundled module from memory. */
function load(code, filename) {
  const m = new Module(filename, module);
  m.filename = filename;
  m.paths = Module._nodeModulePaths(path.dirname(filename));
  m._compile(code, filename);
  return m.exports;
}

async function build() {
  const esbuild = require('esbuild');
  const ajvSetup = path.join(root, 'lib', 'config', 'ajv.ts');
  const generator = esbuild.buildSync({ ...common, entryPoints: [ajvSetup], write: false, metafile: true });
  const validatorsCode = load(generator.outputFiles[0].text, ajvSetup).standaloneValidators();
  const precompiledValidators = {
    name: 'precompiled-validators',
    setup(b) {
      b.onLoad({ filter: /[\\/]lib[\\/]config[\\/]validators\.ts$/ }, () => ({ contents: validatorsCode, loader: 'js', resolveDir: root }));
    },
  };
  const result = await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'lib', 'cli', 'main.ts')],
    outfile: bundleFile,
    sourcemap: 'linked',
    metafile: true,
    plugins: [precompiledValidators],
  });
  const inputs = {};
  for (const file of [path.relative(root, __filename), 'package-lock.json', ...Object.keys(generator.metafile.inputs), ...Object.keys(result.metafile.inputs)]) {
    inputs[file] = stamp(file);
  }
  fs.writeFileSync(inputsFile, JSON.stringify(inputs));
}

async function run() {
  if (!isFresh()) await build();
  return require(bundleFile).main(process.argv.slice(2));
}

run().then((code) => {
  process.exitCode = code;
});
