'use strict';
// The config schemas' validators as ajv standalone code (lib/config/ajv.ts
// `standaloneValidators()`), so that they are compiled once instead of on every load of
// lib/config/validators.ts: bin/mastodon-cdk8s.js bundles this code in its place, and the tests'
// global setup (test/setup/precompiled-validators.js) writes it once per jest run for every test file.
const path = require('node:path');
const Module = require('node:module');

/**
 * Returns `{ code, inputs }`: the standalone module's source and the repository files it was
 * generated from (paths relative to `root`, node_modules excluded).
 */
function standaloneValidators(root) {
  const esbuild = require('esbuild');
  const ajvSetup = path.join(root, 'lib', 'config', 'ajv.ts');
  const generator = esbuild.buildSync({
    absWorkingDir: root, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error',
    packages: 'external', entryPoints: [ajvSetup], write: false, metafile: true,
  });
  const m = new Module(ajvSetup, module);
  m.filename = ajvSetup;
  m.paths = Module._nodeModulePaths(path.dirname(ajvSetup));
  m._compile(generator.outputFiles[0].text, ajvSetup);
  const inputs = Object.keys(generator.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  return { code: m.exports.standaloneValidators(), inputs: [path.relative(root, __filename), ...inputs] };
}

module.exports = { standaloneValidators };
