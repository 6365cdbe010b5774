import { Defaults } from '../model/defaults';
import { Check } from './check';
import { error } from '../core/finding';
import { ConfigProblem } from '../core/errors';
import { ConfigSource } from '../core/source';
import { InstanceConfig } from '../config/types';

/** The libpq modes that verify the server's certificate against a CA. */
const VERIFYING_MODES: readonly string[] = ['verify-ca', 'verify-full'];

/**
 * PostgreSQL TLS: a verifying sslmode needs the CA that signed the server's certificate (libpq
 * looks for PGSSLROOTCERT, and DigitalOcean's managed PostgreSQL uses a private CA that no system
 * bundle holds); a CA with a mode that does not verify would be silently unused by streaming.
 * @see https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-SSLMODE-STATEMENTS
 */
function databaseTlsProblems(source: ConfigSource, instance: InstanceConfig, d: Defaults): ConfigProblem[] {
  const db = instance.database;
  const sslmode = db.sslmode ?? d.database.sslmode;
  const verifies = VERIFYING_MODES.includes(sslmode);
  if (verifies && !db.caCertificate) {
    return [source.problem(['database', 'sslmode'], `"${sslmode}" verifies the server's certificate, but no CA is given; allowed: database.caCertificate (a ConfigMap or Secret key holding the CA certificate, e.g. DigitalOcean's "CA certificate" of the database cluster), or sslmode "require"`)];
  }
  if (!verifies && db.caCertificate) {
    return [source.problem(['database', 'caCertificate'], `is only used when the certificate is verified, not with sslmode "${sslmode}"; allowed: sslmode verify-ca or verify-full with it, or no caCertificate`, true)];
  }
  return [];
}

export const checkDatabaseTls: Check = ({ sources, instance, defaults }) => databaseTlsProblems(sources.instance, instance, defaults).map(error);
