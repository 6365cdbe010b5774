import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { postgresBinDir } from './programs';

/** Runs a command, as the `postgres` user when this process is root (PostgreSQL's server refuses root). */
function asServerUser(cmd: string, args: readonly string[]): SpawnSyncReturns<string> {
  const asRoot = process.getuid?.() === 0;
  return asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, [...args], { encoding: 'utf8' });
}

function must(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/**
 * A throwaway PostgreSQL server (Debian's) for the tests that run the backup and restore scripts:
 * its data and Unix socket in a temporary directory, no TCP, trust authentication.
 */
export class ThrowawayPostgres {
  public readonly socketDir: string;
  public readonly port = 5432;
  private readonly dataDir: string;
  private readonly bin: string;

  constructor(public readonly dir: string) {
    const bin = postgresBinDir();
    if (!bin) throw new Error('no PostgreSQL server installed');
    this.bin = bin;
    this.socketDir = path.join(dir, 'run');
    this.dataDir = path.join(dir, 'data');
    fs.mkdirSync(this.socketDir, { recursive: true });
    if (process.getuid?.() === 0) {
      fs.chmodSync(dir, 0o755);
      spawnSync('chown', ['-R', 'postgres:postgres', dir]);
    }
    // --no-sync, like the server's fsync=off: a throwaway server's files need not reach the disk.
    must(asServerUser(`${bin}/initdb`, ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']), 'initdb');
    must(asServerUser(`${bin}/pg_ctl`, ['-D', this.dataDir, '-w', '-l', path.join(dir, 'server.log'),
      '-o', `-c listen_addresses='' -k ${this.socketDir} -p ${this.port} -c fsync=off`, 'start']), 'pg_ctl start');
  }

  /** The libpq environment that reaches it. */
  public get env(): Record<string, string> {
    return { PGHOST: this.socketDir, PGPORT: String(this.port), PGUSER: 'postgres' };
  }

  /** Runs SQL in `database`, stopping at the first error; its unaligned output. */
  public sql(database: string, sql: string): string {
    return must(spawnSync('psql', ['-v', 'ON_ERROR_STOP=1', '-tAq', '-d', database, '-c', sql], { encoding: 'utf8', env: { ...process.env, ...this.env } }), `psql ${sql}`).trim();
  }

  public stop(): void {
    asServerUser(`${this.bin}/pg_ctl`, ['-D', this.dataDir, '-w', '-m', 'immediate', 'stop']);
  }
}

/** A little of Mastodon's schema with rows, enough for a dump worth restoring. */
export const MASTODON_TABLES_SQL = `
CREATE TABLE schema_migrations (version varchar PRIMARY KEY);
INSERT INTO schema_migrations VALUES ('20260301000000'), ('20260302000000');
CREATE TABLE accounts (id bigint PRIMARY KEY, username varchar NOT NULL);
INSERT INTO accounts SELECT g, 'user' || g FROM generate_series(1, 50) g;
CREATE TABLE users (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts(id));
INSERT INTO users SELECT g, g FROM generate_series(1, 20) g;
CREATE TABLE statuses (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts(id), text text);
`;
