#!/usr/bin/env node
'use strict';
// `npm run bench`: how long `npm run synth` takes for the committed config, against the floor of
// loading cdk8s-plus-28 alone, measured in the same run on the same machine. Target: ≤ 2.5×.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const RUNS = Number(process.argv[2] ?? 7);
const TARGET_RATIO = 2.5;

function time(cmd, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(cmd, args) {
  time(cmd, args); // warm-up: file cache, and the CLI's bundle cache
  const samples = Array.from({ length: RUNS }, () => time(cmd, args)).sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const floor = median(process.execPath, ['-e', "require('cdk8s-plus-28')"]);
const synth = median('npm', ['run', '-s', 'synth']);
const ratio = synth / floor;
console.log(`require('cdk8s-plus-28'): ${floor.toFixed(0)} ms (median of ${RUNS})`);
console.log(`npm run synth:            ${synth.toFixed(0)} ms (median of ${RUNS})`);
console.log(`ratio:                    ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×)`);
process.exitCode = ratio <= TARGET_RATIO ? 0 : 1;
