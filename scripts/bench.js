#!/usr/bin/env node
'use strict';
// `npm run bench [runs] [largest]`: the synth of a hosting provider's repository (generated from
// config/example by scripts/generate-instances.js) at 1, 100 and `largest` (default 1000)
// instances, and the re-synth of the largest after one instance changed, each against floors
// measured in the same run on the same machine, so the ratios hold on any machine:
// - one instance ≤ 2.5× `node -e 0` (wall);
// - 100 instances ≤ 10× one instance (wall, both rendered: --no-cache);
// - 1000 instances from nothing ≤ 10 s wall, wall ≈ CPU / cores, peak RSS < 400 MiB;
// - re-synth of 1000 after a one-instance change ≤ 2× the same change where it is the only
//   instance (wall; both render and write that one instance);
// - validate of the 1000 rendered instances ≤ 2× their synth from nothing (CPU; with the pinned
//   schemas when ../shared is there, else the semantic and policy checks only);
// - diff of the 1000 instances with nothing changed ≤ 1× their synth from nothing (CPU).
// Every row reports wall and CPU time (all threads; the kernel's part of it, which creating files
// can dominate: on a journal-less ext4, after mass deletions), the time the main thread waited for a CPU
// while runnable (Linux: /proc/thread-self/schedstat) and its peak RSS, and the machine's load is printed
// before and after: on a loaded machine the wait column, not the code, explains a long wall time.
// Exits 1 when a target is missed.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { generateInstances, instanceYaml, instanceId } = require('./generate-instances');

const root = path.resolve(__dirname, '..');
const RUNS = Number(process.argv[2] ?? 5);
const LARGEST = Number(process.argv[3] ?? 1000);
const MEDIUM = Math.min(100, LARGEST);
const CORES = os.availableParallelism?.() ?? os.cpus().length;
const MiB = 1024 * 1024;

// Loaded with --require into every measured process: at exit it reports the process's CPU time,
// peak RSS and the main thread's run-queue wait on stderr.
const HOOK = `
process.on('exit', () => {
  const fs = require('fs');
  let waitNs;
  try {
    waitNs = Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]);
  } catch { waitNs = NaN; }
  const u = process.cpuUsage();
  fs.writeSync(2, '\\nbench ' + JSON.stringify({ cpu: (u.user + u.system) / 1000, sys: u.system / 1000, rss: process.resourceUsage().maxRSS * 1024, wait: waitNs / 1e6 }) + '\\n');
});`;

/** One run of `node <args>`: wall ms, CPU ms, run-queue wait ms, peak RSS bytes. */
function run(hook, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', hook, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * MiB });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ').slice(0, 200)} exited ${r.status}: ${r.stderr}`);
  const line = r.stderr.split('\n').reverse().find((l) => l.startsWith('bench '));
  return { wall, ...JSON.parse(line.slice('bench '.length)) };
}

/**
 * The median of each measure over `runs` runs, after `warmUp` runs that are not counted; `args`
 * may be a function of the run's index (counted runs from 0).
 */
function median(hook, args, { runs, warmUp = 1, before = () => {} }) {
  const argsOf = typeof args === 'function' ? args : () => args;
  for (let i = 0; i < warmUp; i += 1) run(hook, argsOf(0));
  const samples = Array.from({ length: runs }, (_, i) => {
    before(i);
    return run(hook, argsOf(i));
  });
  const mid = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(runs / 2)];
  return { wall: mid('wall'), cpu: mid('cpu'), sys: mid('sys'), wait: mid('wait'), rss: mid('rss'), runs };
}

const rows = [];
function show(label, t) {
  rows.push([label, t]);
  const wait = Number.isNaN(t.wait) ? '   n/a' : t.wait.toFixed(0).padStart(6);
  console.log(`${label.padEnd(50)}${t.wall.toFixed(0).padStart(7)} ${t.cpu.toFixed(0).padStart(7)} ${t.sys.toFixed(0).padStart(6)} ${wait} ${(t.rss / MiB).toFixed(0).padStart(5)}  ${t.runs}`);
}

const results = [];
function ratio(label, value, target, unit = '×', note = '') {
  const ok = value <= target;
  results.push(ok);
  console.log(`${ok ? 'ok  ' : 'MISS'} ${label.padEnd(66)}${value.toFixed(2).padStart(7)}${unit}  (target ≤ ${target}${unit})${note}`);
}
// Beside a wall-time ratio, the same ratio in CPU time: what it would be on an idle machine.
const inCpu = (a, b) => `; in CPU time ${(a.cpu / b.cpu).toFixed(2)}×`;

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const loadBefore = os.loadavg()[0];
console.log(`${CORES} CPUs, Node ${process.version}; load average before: ${load()}`);
if (loadBefore > CORES) console.log(`warning: the load (${loadBefore.toFixed(1)}) exceeds the CPU count: wall times include waiting for a CPU`);

const cli = path.join(root, 'bin', 'mastodon-cdk8s.js');
const synthOf = (dirs, out, ...options) => [cli, 'synth', ...dirs.flatMap((d) => ['--config', d]), '--out', out, ...options];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mastodon-cdk8s-bench-'));
const hook = path.join(scratch, 'hook.js');
try {
  fs.writeFileSync(hook, HOOK);
  const config = path.join(scratch, 'config');
  const dirs = generateInstances(config, LARGEST);
  const out = (name) => path.join(scratch, name);
  const few = Math.max(3, Math.ceil(RUNS / 2));

  console.log(`\n${'(ms, median)'.padEnd(50)}${'wall'.padStart(7)} ${'CPU'.padStart(7)} ${'of it'.padStart(6)} ${'wait'.padStart(6)} ${'MiB'.padStart(5)}  runs`);
  console.log(`${''.padEnd(50)}${''.padStart(7)} ${''.padStart(7)} ${'kernel'.padStart(6)}`);
  const floor = median(hook, ['-e', '0'], { runs: RUNS });
  show('node -e 0', floor);
  // The one-instance synth runs with its output already in place, as a developer re-runs it.
  const one = median(hook, synthOf(dirs.slice(0, 1), out('dist-1')), { runs: RUNS });
  show('synth of 1 instance', one);
  const oneFull = median(hook, synthOf(dirs.slice(0, 1), out('dist-1'), '--no-cache'), { runs: RUNS });
  show('synth of 1 instance, --no-cache', oneFull);
  // What a one-instance change costs where there is one instance: its render and write.
  const editOne = (i, instance) => fs.writeFileSync(path.join(dirs[instance], 'instance.yaml'), instanceYaml(instanceId(instance), { installsOperators: instance === 0, sender: `notifications-${i}` }));
  const oneChanged = median(hook, synthOf(dirs.slice(0, 1), out('dist-1')), { runs: RUNS, before: (i) => editOne(i, 0) });
  show('re-synth of 1 instance after it changed', oneChanged);
  // What rendering costs: every instance rendered (the render cache would serve the repeated runs).
  const medium = median(hook, synthOf(dirs.slice(0, MEDIUM), out(`dist-${MEDIUM}`), '--no-cache'), { runs: few });
  show(`synth of ${MEDIUM} instances, --no-cache`, medium);
  // The largest rows: from nothing first, `few` times, each into an empty folder of its own, so
  // that none of this run's files is deleted before the last (on a journal-less ext4, creating a
  // file shortly after mass deletions costs up to 30× more kernel time); then once again with
  // nothing changed (into the first), then after each of `few` edits to one instance's config.
  const all = synthOf(dirs, out(`dist-${LARGEST}`));
  const cold = median(hook, (i) => synthOf(dirs, out(i === 0 ? `dist-${LARGEST}` : `dist-${LARGEST}-${i + 1}`), '--no-cache'), { runs: few, warmUp: 0 });
  show(`synth of ${LARGEST} instances, empty out dir, --no-cache`, cold);
  // On an ext4 without a journal, an inode deleted less than 60 s ago (360 s while its inode table
  // block is not written back) is not reused (linux fs/ext4/ialloc.c, recently_deleted:
  // RECENTCY_MIN 60, RECENTCY_DIRTY 300), so creating files soon after a mass deletion (an earlier
  // benchmark's clean-up) costs many times the kernel time: that row is not the code's.
  if (cold.sys > cold.cpu / 3) console.log(`warning: the kernel took ${(cold.sys / 1000).toFixed(1)} s of it creating files; after a mass deletion (an earlier run's) wait 6 minutes and run again`);
  // The first of these renders every instance again and fills the render cache (the row above used --no-cache).
  const unchanged = median(hook, all, { runs: 1, warmUp: 1 });
  show(`synth of ${LARGEST} again, nothing changed`, unchanged);
  const edited = Math.floor(LARGEST / 2);
  const resynth = median(hook, all, { runs: few, warmUp: 0, before: (i) => editOne(i, edited) });
  show(`re-synth of ${LARGEST} after one instance changed`, resynth);
  const shared = path.resolve(root, '..', 'shared');
  const schemas = fs.existsSync(path.join(shared, 'crds'))
    ? ['--k8s-schema', path.join(shared, 'schemas', 'kubernetes-v1.33.0-definitions.json'), '--crds', path.join(shared, 'crds')]
    : [];
  const validated = median(hook, [cli, 'validate', '--dist', out(`dist-${LARGEST}`), ...schemas], { runs: 1 });
  show(`validate of ${LARGEST} instances${schemas.length ? ' (with schemas)' : ''}`, validated);
  const diffed = median(hook, [cli, 'diff', ...dirs.flatMap((d) => ['--config', d]), '--dist', out(`dist-${LARGEST}`)], { runs: 1, warmUp: 0 });
  show(`diff of ${LARGEST} instances, nothing changed`, diffed);

  console.log('');
  ratio('one-instance synth / node -e 0 (wall)', one.wall / floor.wall, 2.5, '×', inCpu(one, floor));
  // Wall time: from 64 instances to render, worker threads trade CPU (each warms up its own
  // compiler) for wall time; the CPU ratio is printed beside it.
  ratio(`${MEDIUM} instances / one instance (wall, both --no-cache)`, medium.wall / oneFull.wall, 10, '×', inCpu(medium, oneFull));
  ratio(`${LARGEST} instances from nothing (wall, s)`, cold.wall / 1000, 10, ' s');
  ratio(`${LARGEST} instances: wall / (CPU / ${CORES} CPUs)`, cold.wall / (cold.cpu / CORES), 1.2);
  ratio(`${LARGEST} instances: peak RSS (MiB)`, cold.rss / MiB, 400, ' MiB');
  ratio(`re-synth of ${LARGEST} after a one-instance change / of 1 (wall)`, resynth.wall / oneChanged.wall, 2, '×', inCpu(resynth, oneChanged));
  ratio(`validate of ${LARGEST} / their synth from nothing (CPU)`, validated.cpu / cold.cpu, 2);
  ratio(`diff of ${LARGEST}, nothing changed / their synth from nothing (CPU)`, diffed.cpu / cold.cpu, 1);
  console.log(`\nload average after: ${load()}`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
process.exitCode = results.every(Boolean) ? 0 : 1;
