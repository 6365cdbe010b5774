'use strict';
// jest globalSetup: compiles the config schemas' validators once per test run, as ajv standalone
// code (the code the CLI bundle uses), into the file jest.config.js maps lib/config/validators to.
// Without it every test file importing the config loader compiled them again (~0.2 s each).
const fs = require('node:fs');
const path = require('node:path');
const { standaloneValidators } = require('../../scripts/standalone-validators');

const root = path.resolve(__dirname, '..', '..');
const file = path.join(root, 'node_modules', '.cache', 'mastodon-cdk8s', 'jest-validators.js');

module.exports = function precompileValidators() {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Renamed into place: a jest run started meanwhile never loads half a module.
  const staging = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(staging, standaloneValidators(root).code);
  fs.renameSync(staging, file);
};
module.exports.file = file;
