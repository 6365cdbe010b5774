import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { FolderStatsCheck, pathTemplate, StatsInput, statsHash } from '../../lib/render/folder-stats';
import { spawnSync } from 'node:child_process';
import { SpareThread, ThreadJob } from '../../lib/core/threads';
import { tempDir } from '../helpers';

const SPARE_THREAD = path.join(__dirname, '..', '..', 'bin', 'spare-thread.js');
type LauncherSpare = SpareThread & { done: () => void };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { spareThread } = require(SPARE_THREAD) as { spareThread: (hintFile: string) => LauncherSpare };

// Every lstat passes through, counted: the main thread's share of the check.
jest.mock('node:fs', () => {
  const actual = jest.requireActual('node:fs');
  return { ...actual, lstatSync: jest.fn(actual.lstatSync) };
});
const lstats = fs.lstatSync as unknown as jest.Mock;

/** An edit to a recorded folder, which its stats must show (lib/render/write.ts, FolderRecord). */
type Edit = 'append' | 'sameSize' | 'sameSizeTimesKept' | 'add' | 'remove' | 'touch' | 'replace' | 'addFolder';
const EDITS: readonly Edit[] = ['append', 'sameSize', 'sameSizeTimesKept', 'add', 'remove', 'touch', 'replace', 'addFolder'];

/** A long time ago: every recorded entry gets it, so that any later change to one gives it another mtime. */
const PAST = new Date('2020-01-01T00:00:00Z');

/** Writes a folder of `files` (relative paths) and returns its path list as the write manifest keeps it: folders ('/' first), then files. */
function writeFolder(dir: string, files: readonly string[]): string[] {
  const folders = new Set(['/']);
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), `${file}\n`);
    for (let d = path.dirname(file); d !== '.'; d = path.dirname(d)) folders.add(`${d}/`);
  }
  const paths = [...[...folders].sort(), ...[...files].sort()];
  for (const rel of paths) fs.utimesSync(rel === '/' ? dir : path.join(dir, rel), PAST, PAST);
  return paths;
}

function applyEdit(dir: string, files: readonly string[], edit: Edit): void {
  const file = path.join(dir, files[0]);
  const sub = path.dirname(file);
  switch (edit) {
    case 'append': return fs.appendFileSync(file, 'x');
    case 'sameSize': return fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^./, '#'));
    // As a tool that restores the times it found (touch -r, rsync -t): only the change time tells.
    case 'sameSizeTimesKept': {
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^./, '#'));
      return fs.utimesSync(file, PAST, PAST);
    }
    case 'add': return fs.writeFileSync(path.join(sub, 'stray.yaml'), 'kind: Stray\n');
    case 'remove': return fs.rmSync(file);
    case 'touch': return fs.utimesSync(file, PAST, new Date('2021-01-01T00:00:00Z'));
    // The same content and times under a new inode, as an editor that writes a copy and renames it does.
    case 'replace': {
      fs.writeFileSync(`${file}.new`, fs.readFileSync(file));
      fs.utimesSync(`${file}.new`, PAST, PAST);
      fs.renameSync(`${file}.new`, file);
      return fs.utimesSync(sub, PAST, PAST);
    }
    case 'addFolder': return fs.mkdirSync(path.join(sub, 'extra'));
  }
}

// NAME stands for the folder's name, as instances name files after themselves.
const relPath = fc.array(fc.constantFrom('a', 'b', 'sub', 'NAME'), { minLength: 0, maxLength: 2 }).chain((dirs) =>
  fc.constantFrom('x.yaml', 'y.yaml', 'SECRETS.md', 'App.NAME.yaml').map((name) => [...dirs, name].join('/')));
const folderSpec = fc.record({
  files: fc.uniqueArray(relPath, { minLength: 1, maxLength: 6 }),
  edit: fc.option(fc.constantFrom(...EDITS), { nil: undefined, freq: 2 }),
});

/** Folder names, some of them also parts of other paths (which a path list's template must keep apart). */
const NAMES = ['tenant-1', 'a', 'sub', 'x', 'yaml', 'tenant-10', 'SECRETS', 'b'];

/** The folders written and recorded as the write manifest records them, then edited: the check's input and whether each is as recorded. */
function recordedFolders(specs: readonly { files: readonly string[]; edit?: Edit }[], missing: ReadonlySet<number> = new Set()) {
  const root = tempDir('mastodon-cdk8s-stats-');
  const shapes: string[][] = [];
  const folders = specs.map((spec, i) => {
    const name = NAMES[i] ?? `folder-${i}`;
    const dir = path.join(root, name);
    const template = pathTemplate(writeFolder(dir, spec.files.map((file) => file.replaceAll('NAME', name))), name);
    let shape = shapes.findIndex((known) => known.join('\n') === template.join('\n'));
    if (shape < 0) shape = shapes.push(template) - 1;
    return { dir, name, shape, stats: statsHash(dir, name, template) };
  });
  specs.forEach((spec, i) => {
    if (spec.edit) applyEdit(folders[i].dir, spec.files.map((file) => file.replaceAll('NAME', folders[i].name)), spec.edit);
    if (missing.has(i)) fs.rmSync(folders[i].dir, { recursive: true });
  });
  const input: StatsInput = { shapes, folders };
  return { input, expected: specs.map((spec, i) => spec.edit === undefined && !missing.has(i)) };
}

const answers = (check: FolderStatsCheck, count: number) => Array.from({ length: count }, (_, i) => check.matches(i));

describe('the stats check of output folders (lib/render/folder-stats.ts)', () => {
  test('GIVEN folders recorded, some edited (in place keeping the size, and its times too, appended, added to, deleted from, touched, replaced by another inode) WHEN checked with a worker thread and without THEN both tell exactly the edited folders', () => {
    fc.assert(fc.property(fc.array(folderSpec, { minLength: 1, maxLength: 8 }), (specs) => {
      const { input, expected } = recordedFolders(specs);
      const alone = new FolderStatsCheck(input, { from: Infinity });
      const shared = new FolderStatsCheck(input, { from: 0 });
      expect(answers(alone, specs.length)).toEqual(expected);
      expect(answers(shared, specs.length)).toEqual(expected);
    }), { numRuns: 30 });
  });

  test('GIVEN a recorded folder that is gone, or a record whose path list is not in the manifest THEN it does not match, and nothing throws', () => {
    const { input, expected } = recordedFolders([{ files: ['x.yaml'] }, { files: ['a/y.yaml'] }, { files: ['SECRETS.md'] }], new Set([1]));
    const broken: StatsInput = { shapes: input.shapes, folders: [...input.folders, { ...input.folders[0], shape: 99 }] };
    for (const workerFrom of [0, Infinity]) expect(answers(new FolderStatsCheck(broken, { from: workerFrom }), 4)).toEqual([...expected, false]);
    expect(expected).toEqual([true, false, true]);
  });

  test('GIVEN time for the worker WHEN the main thread asks THEN the worker has answered every folder and the main thread reads no stats (the worker runs the functions\' own source)', () => {
    const { input, expected } = recordedFolders(Array.from({ length: 20 }, (_, i) => ({ files: [`sub/x${i}.yaml`, 'SECRETS.md'] })));
    const check = new FolderStatsCheck(input, { from: 0 });
    expectWorkerAnswersAll(check, 20, expected);
    // Without the worker, the main thread reads them all.
    expect(answers(new FolderStatsCheck(input, { from: Infinity }), 20)).toEqual(expected);
    expect(lstats.mock.calls.length).toBe(20 * 4);
  });

  test('GIVEN the launcher\'s spare thread (bin/spare-thread.js), started because the last run wanted one WHEN a check takes it THEN that thread answers every folder; a second check, finding it taken, starts its own', () => {
    const { input, expected } = recordedFolders(Array.from({ length: 12 }, (_, i) => ({ files: [`sub/x${i}.yaml`] })), new Set([3]));
    const hint = path.join(tempDir(), 'spare-thread-synth');
    fs.writeFileSync(hint, '{}');
    const { spare, taken } = counted(spareThread(hint));
    try {
      expectWorkerAnswersAll(new FolderStatsCheck(input, { from: 0, spare }), 12, expected);
      expect(taken).toEqual([{ started: true, sharedIsTheJobs: true }]);
      expectWorkerAnswersAll(new FolderStatsCheck(input, { from: 0, spare }), 12, expected);
      expect(taken).toEqual([{ started: true, sharedIsTheJobs: true }, { started: false, sharedIsTheJobs: false }]);
    } finally {
      spare.done();
    }
  });

  test('GIVEN a run that remembered the check of the folders it wrote WHEN the next run launches THEN its spare thread starts on that check at once, and the same check takes it under way (its answers, on its own state); another check does not', () => {
    const { input, expected } = recordedFolders(Array.from({ length: 12 }, (_, i) => ({ files: [`sub/x${i}.yaml`] })), new Set([5]));
    const other: StatsInput = { shapes: input.shapes, folders: input.folders.slice(1) };
    const hint = path.join(tempDir(), 'spare-thread-synth');
    const run = (check: StatsInput, remember: StatsInput | undefined) => {
      const { spare, taken } = counted(spareThread(hint));
      try {
        expectWorkerAnswersAll(new FolderStatsCheck(check, { from: 0, spare }), check.folders.length, expected.slice(expected.length - check.folders.length));
        if (remember) FolderStatsCheck.remember(remember, { from: 0, spare });
        return taken;
      } finally {
        spare.done();
      }
    };
    // A first synth has nothing to check but remembers the check of what it wrote: the next run's spare starts on it.
    const first = counted(spareThread(hint));
    FolderStatsCheck.remember(input, { from: 0, spare: first.spare });
    first.spare.done();
    expect(run(input, undefined)).toEqual([{ started: true, sharedIsTheJobs: false }]);
    fs.rmSync(hint);
    // Without a hint, the check starts its own thread; the next run's spare starts on the check taken.
    expect(run(input, undefined)).toEqual([{ started: false, sharedIsTheJobs: false }]);
    expect(run(input, undefined)).toEqual([{ started: true, sharedIsTheJobs: false }]);
    // Only this very check: a thread started on another is stopped, and the check starts its own.
    expect(run(other, undefined)).toEqual([{ started: false, sharedIsTheJobs: false }]);
    expect(run(other, input)).toEqual([{ started: true, sharedIsTheJobs: false }]);
    // What the run remembered, not what it took, is what the next run's spare starts on.
    expect(run(input, undefined)).toEqual([{ started: true, sharedIsTheJobs: false }]);
    // A check that would not use a worker is not remembered, and releases a spare thread under way (which no check takes after).
    const noWorker = { take: () => undefined, remember: () => { throw new Error('remembered'); }, release: () => undefined };
    expect(() => FolderStatsCheck.remember(input, { from: Infinity, spare: noWorker })).not.toThrow();
    const { spare, taken } = counted(spareThread(hint));
    try {
      expect(answers(new FolderStatsCheck(input, { from: Infinity, spare }), expected.length)).toEqual(expected);
      expectWorkerAnswersAll(new FolderStatsCheck(input, { from: 0, spare }), expected.length, expected);
      expect(taken).toEqual([{ started: false, sharedIsTheJobs: false, released: true }, { started: false, sharedIsTheJobs: false }]);
    } finally {
      spare.done();
    }
  });

  test('GIVEN runs that want a thread and runs that do not THEN a spare thread is started exactly when the run before wanted one', () => {
    const hint = path.join(tempDir(), 'spare-thread-synth');
    const job = { source: '', data: {} };
    const run = (wants: boolean) => {
      const spare = spareThread(hint);
      const thread = wants ? spare.take(job) : undefined;
      spare.done();
      return thread !== undefined;
    };
    // The first run finds no hint: the check starts its own thread.
    expect([true, true, false, false, true, true].map(run)).toEqual([false, true, false, false, false, true]);
  });

  test('GIVEN a spare thread WHEN it runs a job, or is never taken THEN it never keeps the process from exiting', () => {
    const hint = path.join(tempDir(), 'spare-thread-synth');
    fs.writeFileSync(hint, '{}');
    const script = (take: boolean) => `const { spareThread } = require(${JSON.stringify(SPARE_THREAD)});
const spare = spareThread(${JSON.stringify(hint)});
const shared = new Int32Array(new SharedArrayBuffer(4));
${take ? "spare.take({ source: 'const s = new Int32Array(data.s); Atomics.store(s, 0, 42); Atomics.notify(s, 0);', data: { s: shared.buffer } });\nAtomics.wait(shared, 0, 0, 20000);" : ''}
process.stdout.write(String(Atomics.load(shared, 0)));`;
    for (const [take, printed] of [[true, '42'], [false, '0']] as const) {
      const child = spawnSync(process.execPath, ['-e', script(take)], { encoding: 'utf8', timeout: 20_000 });
      expect({ status: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr }).toEqual({ status: 0, signal: null, stdout: printed, stderr: '' });
    }
  });
});

/** The launcher's spare thread, each take recorded: whether it gave a thread, and whether on the job's own shared state. */
function counted(spare: LauncherSpare) {
  const taken: { started: boolean; sharedIsTheJobs: boolean; released?: true }[] = [];
  const wrapped = {
    take: (job: ThreadJob) => {
      const started = spare.take(job);
      taken.push({ started: started !== undefined, sharedIsTheJobs: started?.shared.state === job.data.state });
      return started;
    },
    remember: (job: ThreadJob) => spare.remember(job),
    release: () => {
      taken.push({ started: false, sharedIsTheJobs: false, released: true });
      spare.release();
    },
    done: () => spare.done(),
  };
  return { spare: wrapped, taken };
}

/** Waits (20 s at most) until the check's worker has answered all `count` folders; then the main thread's answers read no stats. */
function expectWorkerAnswersAll(check: FolderStatsCheck, count: number, expected: readonly boolean[]): void {
  const state = (check as unknown as { state: Int32Array }).state;
  const until = Date.now() + 20_000;
  while (state.some((s) => s < 2) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  lstats.mockClear();
  expect(answers(check, count)).toEqual(expected);
  expect(lstats).not.toHaveBeenCalled();
}

