#!/usr/bin/env node
'use strict';
// npm run schemas: writes lib/config/schemas/*.schema.json from the TypeBox sources in
// lib/config/schema/ and the renderer's defaults (scripts/schema-defaults.ts).
// `--check` writes nothing and fails when a committed file differs from what would be written.
// Bundled with esbuild as bin/mastodon-cdk8s.js does, so the TypeScript runs without a build step.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const entry = path.join(__dirname, 'schema-defaults.ts');
const outDir = path.join(root, 'lib', 'config', 'schemas');

const built = esbuild.buildSync({ absWorkingDir: root, entryPoints: [entry], bundle: true, packages: 'external', platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error', write: false });
const m = new Module(entry, module);
m.filename = entry;
m.paths = Module._nodeModulePaths(__dirname);
m._compile(built.outputFiles[0].text, entry);

const check = process.argv.includes('--check');
let stale = 0;
for (const [file, text] of Object.entries(m.exports.schemaFiles())) {
  const target = path.join(outDir, file);
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (current === text) continue;
  stale += 1;
  if (check) console.error(`${path.relative(root, target)} is not what lib/config/schema/ emits: run npm run schemas`);
  else {
    fs.writeFileSync(target, text);
    console.log(`wrote ${path.relative(root, target)}`);
  }
}
process.exitCode = check && stale > 0 ? 1 : 0;
