import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/**
 * A suite that runs a real program (Debian's Ruby, bootsnap…) to check upstream behaviour:
 * `describe` when `ruby -e <probe>` works; otherwise, like the schema tests (test/shared.ts), a
 * failing test under CI (where .ci/run installs it) and, elsewhere, a skip whose title says why and
 * how to enable it.
 */
export function describeWithRuby(probe: string, install: string): jest.Describe {
  const available = spawnSync('ruby', ['-e', probe], { encoding: 'utf8' }).status === 0;
  return describeIfAvailable(available, `no Ruby that runs \`${probe}\` here; enable it with \`${install}\` (.ci/run installs it)`);
}

/** Debian's PostgreSQL server programs (initdb, pg_ctl, postgres): the newest major installed. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((d) => /^\d+$/.test(d) && existsSync(`${root}/${d}/bin/initdb`)).sort((a, b) => Number(b) - Number(a));
  return majors.length > 0 ? `${root}/${majors[0]}/bin` : undefined;
}

/**
 * A suite that runs Debian's PostgreSQL (server and clients) and rclone, as the containers of the
 * backup and restore Jobs do; skipped or failing like describeWithRuby when they are missing.
 */
export function describeWithPostgresAndRclone(): jest.Describe {
  const bin = postgresBinDir();
  const clients = ['pg_dump', 'pg_restore', 'psql', 'rclone'].every((p) => spawnSync(p, ['--version']).status === 0);
  return describeIfAvailable(bin !== undefined && clients,
    'no PostgreSQL server and clients or no rclone here; enable them with `apt-get install postgresql rclone` (.ci/run installs them)');
}

function describeIfAvailable(available: boolean, why: string): jest.Describe {
  if (available) return describe;
  return ((name: string, fn: () => void) => {
    if (process.env.CI === 'true') return describe(name, () => test(`program missing: ${why}`, () => { throw new Error(why); }));
    return describe.skip(`${name} — skipped: ${why}`, fn);
  }) as jest.Describe;
}
