#!/usr/bin/env node
'use strict';
// The long run of the property tests in test/fuzz/: thousands of random config mutations and YAML
// values instead of the few dozen `npm test` runs. NUM_RUNS sets how many per property (default
// 3000), FUZZ_SEED another seed; the CLI runs (a process each) take a tenth of NUM_RUNS.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const numRuns = process.env.NUM_RUNS || '3000';
const jest = require.resolve('jest/bin/jest');
const r = spawnSync(process.execPath, [jest, '--testTimeout=0', path.join('test', 'fuzz'), ...process.argv.slice(2)], {
  cwd: path.join(__dirname, '..'),
  stdio: 'inherit',
  env: { ...process.env, NUM_RUNS: numRuns },
});
process.exit(r.status ?? 1);
