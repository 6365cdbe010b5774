import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadInstance } from '../../lib/app/load';
import { renderAll } from '../../lib/app/render';
import { findInstanceDirs } from '../../lib/config/load';
import { SharedDefaults } from '../../lib/config/shared-defaults';
import { REPO } from '../helpers';

/**
 * The instances in `config/` belong to the user: the README's examples while they are there, the
 * user's own once they edit or delete them. The tests render their own fixtures
 * (test/fixtures/config), so no test depends on what `config/` holds; this suite renders whatever
 * it holds, together as `npm run synth` does, and has no case when it holds nothing.
 */
const CONFIG_ROOT = path.join(REPO, 'config');

describe('the instances in config/', () => {
  test('GIVEN whatever config/ holds WHEN rendered together like synth THEN every instance renders without a problem', () => {
    const dirs = findInstanceDirs(CONFIG_ROOT);
    const defaults = new SharedDefaults();
    const files = renderAll(dirs.map((dir) => loadInstance(dir, defaults))).files;
    for (const dir of dirs) expect([...files.keys()].some((f) => f.startsWith(`${path.basename(dir)}/`))).toBe(true);
  });
});

describe('tests own their fixtures', () => {
  /** Every test source file, relative to the repository. */
  function testFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === '__snapshots__' || e.name === 'fixtures' ? [] : testFiles(full);
      return /\.tsx?$/.test(e.name) ? [path.relative(REPO, full)] : [];
    });
  }
  /** A path from the repository (or the working directory, which is it) to an example or into dist/, or a CLI run in it (its default config/). */
  const READS_THE_REPOSITORY = /\b(REPO|cwd|process\.cwd\(\))\s*,\s*('dist'|'config'\s*,\s*'(gateway-)?example')|'\.\.',\s*'(dist|config)'|chdir\(REPO\)/;

  /**
   * Tests of the repository as it stands, whatever its instances: the cdk8s CLI must write exactly
   * the committed dist/ (as CI's `diff` requires), so they hold in a fork too.
   */
  const READ_THE_REPOSITORY_ON_PURPOSE = ['test/cli/cdk8s-cli.test.ts'];

  test('GIVEN every test file THEN none reads config/example, config/gateway-example or the committed dist/ (a fork may delete or edit them)', () => {
    const offenders = testFiles(path.join(REPO, 'test'))
      .filter((f) => f !== path.relative(REPO, __filename) && !READ_THE_REPOSITORY_ON_PURPOSE.includes(f))
      .filter((f) => fs.readFileSync(path.join(REPO, f), 'utf8').split('\n').some((line) => READS_THE_REPOSITORY.test(line) && !/^\s*(\*|\/\/|describe\(|test\()/.test(line)));
    expect(offenders).toEqual([]);
  });
});
