import { Check } from './check';
import { error } from '../core/finding';
import { ConfigProblem } from '../core/errors';
import { DEFAULT_PORTS } from '../catalog/ports';
import { ConfigSource } from '../core/source';
import { InstanceConfig } from '../config/types';

/** Host names of DigitalOcean managed databases (public and `private-` VPC hosts alike). */
const DIGITALOCEAN_DATABASE_HOST = /\.db\.ondigitalocean\.com$/i;

/** libpq sslmodes that may connect without TLS: `disable` never encrypts, `allow` and `prefer` fall back. */
const UNENCRYPTED_SSLMODES = ['disable', 'allow', 'prefer'];

/**
 * Checks the database settings against DigitalOcean's managed PostgreSQL, where every Mastodon
 * process connects to the PgBouncer pool on port 25061 and migrations to the database itself on
 * 25060, and every connection must be encrypted.
 * @see https://docs.digitalocean.com/products/databases/postgresql/how-to/manage-connection-pools/
 * @see https://docs.digitalocean.com/products/databases/ ("end-to-end SSL encryption")
 */
function databaseProblems(source: ConfigSource, instance: InstanceConfig): ConfigProblem[] {
  const db = instance.database;
  if (!DIGITALOCEAN_DATABASE_HOST.test(db.host)) return [];
  const problems: ConfigProblem[] = [];
  const { databasePool: pool, databaseDirect: direct } = DEFAULT_PORTS;
  if (db.pool.port === direct) {
    problems.push(source.problem(['database', 'pool', 'port'], `${direct} is the direct port of DigitalOcean's managed PostgreSQL: every Mastodon process would bypass PgBouncer and open its own server connection; allowed: ${pool}, where the connection pools listen (or leave it out)`));
  }
  if (db.direct.port === pool) {
    problems.push(source.problem(['database', 'direct', 'port'], `${pool} is the PgBouncer port of DigitalOcean's managed PostgreSQL, and migrations cannot run through a transaction-mode pool; allowed: ${direct}, the direct connection (or leave it out)`));
  }
  if (db.sslmode !== undefined && UNENCRYPTED_SSLMODES.includes(db.sslmode)) {
    problems.push(source.problem(['database', 'sslmode'], `"${db.sslmode}" may connect without TLS, and DigitalOcean's managed PostgreSQL accepts encrypted connections only; allowed: require (the default), verify-ca or verify-full`));
  }
  return problems;
}

export const checkDatabase: Check = ({ sources, instance }) => databaseProblems(sources.instance, instance).map(error);
