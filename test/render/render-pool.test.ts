import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadInstance } from '../../lib/app/load';
import { renderInstance } from '../../lib/app/render';
import { Outcome, runInWorkers, renderOutcome } from '../../lib/app/render-pool';
import { SharedDefaults } from '../../lib/config/shared-defaults';
import { REPO, tempDir } from '../helpers';

// The benchmark's generator: config/example's settings as config/defaults, short instance files.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generateInstances } = require('../../scripts/generate-instances') as { generateInstances: (dir: string, count: number) => string[] };

/** A worker script as bin/mastodon-cdk8s.js runs it: the render pool bundled from the sources, serving renders. */
function workerScript(): string {
  const dir = tempDir();
  const file = path.join(dir, 'worker.js');
  esbuild.buildSync({ stdin: { contents: "require('./lib/app/render-worker').renderWorker();", resolveDir: REPO, loader: 'js' }, bundle: true, platform: 'node', format: 'cjs', outfile: file, logLevel: 'error' });
  return file;
}

describe('the render pool', () => {
  test('GIVEN workers whose heap is too small for a render WHEN instances are rendered on them THEN each instance is rendered in the main thread instead, with the same outcome', async () => {
    const root = tempDir();
    const dirs = generateInstances(path.join(root, 'config'), 3);
    const defaults = new SharedDefaults();
    const here = (dir: string) => renderOutcome(() => renderInstance(loadInstance(dir, defaults)));
    const byMainThread: string[] = [];
    const outcomes: Outcome[] = [];
    const cwd = process.cwd();
    process.chdir(root);
    try {
      await runInWorkers<Outcome>(dirs, { workerFile: workerScript(), workerHeapMb: 2 }, 2, { task: 'render' }, (index, outcome) => {
        outcomes[index] = outcome;
      }, (dir) => {
        byMainThread.push(dir);
        return here(dir);
      });
    } finally {
      process.chdir(cwd);
    }
    expect(byMainThread.sort()).toEqual([...dirs].sort());
    const files = (o: Outcome) => ('result' in o ? [...o.result.files] : o);
    expect(outcomes.map(files)).toEqual(dirs.map((dir) => files(here(dir))));
    expect(fs.existsSync(path.join(root, 'dist'))).toBe(false);
  }, 60_000);
});
