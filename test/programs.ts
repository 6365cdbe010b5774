import { spawnSync } from 'node:child_process';

/**
 * A suite that runs a real program (Debian's Ruby, bootsnap…) to check upstream behaviour:
 * `describe` when `ruby -e <probe>` works; otherwise, like the schema tests (test/shared.ts), a
 * failing test under CI (where .ci/run installs it) and, elsewhere, a skip whose title says why and
 * how to enable it.
 */
export function describeWithRuby(probe: string, install: string): jest.Describe {
  const available = spawnSync('ruby', ['-e', probe], { encoding: 'utf8' }).status === 0;
  if (available) return describe;
  const why = `no Ruby that runs \`${probe}\` here; enable it with \`${install}\` (.ci/run installs it)`;
  return ((name: string, fn: () => void) => {
    if (process.env.CI === 'true') return describe(name, () => test(`program missing: ${why}`, () => { throw new Error(why); }));
    return describe.skip(`${name} — skipped: ${why}`, fn);
  }) as jest.Describe;
}
