#!/usr/bin/env node
'use strict';
// `npm run bench`: two measurements, each against a floor measured in the same run on the same
// machine.
// 1. `npm run synth` of the committed config against loading cdk8s-plus-28 alone. Target ≤ 2.5×.
// 2. A hosting provider's repository: rendering 100 instances (generated from config/example: its
//    settings as shared defaults, and per instance its own namespace, domains and buckets) against
//    rendering one of them, in CPU time. Target ≤ 10×.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const RUNS = Number(process.argv[2] ?? 7);
const TARGET_RATIO = 2.5;
const INSTANCES = 100;
const TARGET_INSTANCES_RATIO = 10;

function time(cmd, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(cmd, args, runs = RUNS) {
  time(cmd, args); // warm-up: file cache, and the CLI's bundle cache
  const samples = Array.from({ length: runs }, () => time(cmd, args)).sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

// The 100-instance ratio compares CPU time (user + system, all threads) as the process itself
// reports it at exit: what rendering costs, unlike wall time, does not depend on whatever else the
// machine is running. Wall times are printed beside it.
const CPU_HOOK = "process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeSync(2, `\\nbench-cpu-ms ${(u.user + u.system) / 1000}\\n`); });";

function timeCpu(cpuHook, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', cpuHook, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`synth exited ${r.status}: ${r.stderr}`);
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  return { wall, cpu: Number(/bench-cpu-ms ([0-9.]+)/.exec(r.stderr)[1]) };
}

function medianCpu(cpuHook, args, runs) {
  timeCpu(cpuHook, args); // warm-up
  const samples = Array.from({ length: runs }, () => timeCpu(cpuHook, args));
  const mid = (key) => samples.map((x) => x[key]).sort((a, b) => a - b)[Math.floor(runs / 2)];
  return { wall: mid('wall'), cpu: mid('cpu') };
}

/**
 * A hosting provider's config root with `count` instances: config/example's settings as the shared
 * config/defaults/ (instance.yaml without namespace and domains, and the queue plan), and per
 * instance a short instance.yaml with what is its own (namespace, domain, database host, media
 * bucket, sender, search prefix); the first installs the cluster operators for all of them.
 */
function generateInstances(dir, count) {
  const read = (file) => fs.readFileSync(path.join(root, 'config', 'example', file), 'utf8');
  const write = (folder, file, text) => {
    fs.mkdirSync(path.join(dir, folder), { recursive: true });
    fs.writeFileSync(path.join(dir, folder, file), text);
  };
  write('defaults', 'instance.yaml', read('instance.yaml').replace(/^namespace: .*\n/m, '').replace(/^mastodon:\n( {2}.*\n)+/m, ''));
  write('defaults', 'queue-plan.yaml', read('queue-plan.yaml'));
  return Array.from({ length: count }, (_, i) => {
    const id = `tenant-${String(i + 1).padStart(3, '0')}`;
    write(id, 'instance.yaml', [
      `namespace: ${id}`,
      'mastodon:',
      '  version: v4.7.2',
      `  localDomain: ${id}.example.net`,
      'database:',
      `  host: private-${id}-db-do-user-0000000-0.f.db.ondigitalocean.com`,
      'storage:',
      '  s3:',
      `    bucket: ${id}-media`,
      `    aliasHost: cdn.${id}.example.net`,
      'smtp:',
      `  fromAddress: notifications@${id}.example.net`,
      'search:',
      `  prefix: ${id.replace('-', '_')}`,
      // One cluster: the first tenant installs the cluster-wide operators, the others use them.
      ...(i === 0 ? [] : ['argocd:', '  operators: none']),
      '',
    ].join('\n'));
    return path.join(dir, id);
  });
}

const report = (label, ms, runs) => console.log(`${label.padEnd(34)}${ms.toFixed(0).padStart(6)} ms (median of ${runs})`);

const floor = median(process.execPath, ['-e', "require('cdk8s-plus-28')"]);
const synth = median('npm', ['run', '-s', 'synth']);
const ratio = synth / floor;
report("require('cdk8s-plus-28')", floor, RUNS);
report('npm run synth', synth, RUNS);
console.log(`ratio: ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×)\n`);

const cli = path.join(root, 'bin', 'mastodon-cdk8s.js');
const synthOf = (dirs, out) => [cli, 'synth', ...dirs.flatMap((d) => ['--config', d]), '--out', out];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mastodon-cdk8s-bench-'));
const cpuHook = path.join(scratch, 'cpu-hook.js');
let instancesRatio;
try {
  fs.writeFileSync(cpuHook, CPU_HOOK);
  const dirs = generateInstances(path.join(scratch, 'config'), INSTANCES);
  const runs = Math.max(3, Math.ceil(RUNS / 2));
  const one = medianCpu(cpuHook, synthOf(dirs.slice(0, 1), path.join(scratch, 'dist-1')), runs);
  const all = medianCpu(cpuHook, synthOf(dirs, path.join(scratch, `dist-${INSTANCES}`)), runs);
  instancesRatio = all.cpu / one.cpu;
  const show = (label, t) => console.log(`${label.padEnd(34)}${t.cpu.toFixed(0).padStart(6)} ms CPU, ${t.wall.toFixed(0)} ms wall (median of ${runs})`);
  show('synth of 1 instance', one);
  show(`synth of ${INSTANCES} instances`, all);
  console.log(`ratio: ${instancesRatio.toFixed(2)}× CPU, ${(all.wall / one.wall).toFixed(2)}× wall (target ≤ ${TARGET_INSTANCES_RATIO}× CPU)`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
process.exitCode = ratio <= TARGET_RATIO && instancesRatio <= TARGET_INSTANCES_RATIO ? 0 : 1;
