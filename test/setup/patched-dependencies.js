'use strict';
// jest's transform for the sources and the dependency files the CLI's bundle patches: each file
// as bin/mastodon-cdk8s.js bundles it (scripts/bundle-patches.js: the generated toJson functions'
// linear reducer, cdk8s' resolve with the built-in resolvers' fast path, ApiObject.toJson in one
// pass), then TypeScript through ts-jest. So the tests run the code users run, and their renders
// cost what the CLI's do (unpatched, the tests' renders took about a third more time: 5.7 against
// 4.4 s for test/config/schema-defaults.test.ts). test/cli/bundle.test.ts runs without it
// (jest.config.js), to hold the bundle's renders to those of the unpatched dependencies.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { patchedSource } = require('../../scripts/bundle-patches');
const tsJest = require('ts-jest').default.createTransformer();

// jest keys its transform cache by what getCacheKey returns only: the patches and this file are in it.
const PATCHES = fs.readFileSync(path.join(__dirname, '..', '..', 'scripts', 'bundle-patches.js'));
const SELF = fs.readFileSync(__filename);
const isTypeScript = (file) => file.endsWith('.ts');

module.exports = {
  process(source, file, options) {
    const patched = patchedSource(file, source);
    return isTypeScript(file) ? tsJest.process(patched, file, options) : { code: patched };
  },
  // The patched text is a function of the file's text and the patches: no need to patch here.
  getCacheKey(source, file, options) {
    const hash = createHash('sha256').update(PATCHES).update('\0').update(SELF).update('\0').update(file).update('\0');
    if (isTypeScript(file)) return hash.update(tsJest.getCacheKey(source, file, options)).digest('hex');
    return hash.update(source).update('\0').update(options.configString).digest('hex');
  },
};
