/** Default ports of the services an instance connects to, shared by the env and the egress policy. */
export const DEFAULT_PORTS = {
  /** DigitalOcean managed PostgreSQL's PgBouncer pools. */
  databasePool: 25061,
  /** DigitalOcean managed PostgreSQL, direct (migrations). */
  databaseDirect: 25060,
  /** SMTP submission with STARTTLS. */
  smtp: 587,
  search: 9200,
} as const;
