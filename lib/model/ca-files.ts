import { k8s } from 'cdk8s-plus-28';
import { FileRef, InstanceConfig } from '../config/types';
import { RequiredSecret } from '../core/env';
import { MountedFiles } from '../core/mounted-files';

/** Where CA bundles are mounted: `<CA_DIR>/<purpose>/ca.crt`, read-only. */
export const CA_DIR = '/etc/mastodon/ca';
const CA_FILE_NAME = 'ca.crt';

/** One CA bundle, the variable that names its path, and the processes that read it. */
interface CaBundle {
  /** Names the volume (`ca-<purpose>`) and the directory. */
  readonly purpose: string;
  readonly ref: FileRef;
  readonly envVar: string;
  readonly description: string;
}

/** CA bundles mounted into a set of pods, with the variables that point the programs at them. */
export interface CaFiles {
  readonly files: MountedFiles;
  readonly env: readonly k8s.EnvVar[];
}

/** The CA files of the Rails processes (web, Sidekiq, Jobs) and of streaming, and the Secret keys they need. */
export interface InstanceCaFiles {
  readonly rails: CaFiles;
  readonly streaming: CaFiles;
  readonly requiredSecrets: readonly RequiredSecret[];
}

/**
 * The instance's CA bundles:
 * - PostgreSQL: PGSSLROOTCERT, libpq's root certificate for `sslmode` verify-ca/verify-full
 *   (config/database.yml:7 passes DB_SSLMODE to libpq); streaming verifies with Node's trust store
 *   (streaming/database.js:85-97 sets `ssl: {}` for any mode but disable/no-verify), which
 *   NODE_EXTRA_CA_CERTS extends.
 * - OpenSearch: ES_CA_FILE (config/initializers/chewy.rb:9-11).
 * - SMTP: SMTP_CA_FILE and BULK_SMTP_CA_FILE (config/email.yml:15,30; 4.3: config/environments/production.rb:139).
 * @see https://www.postgresql.org/docs/current/libpq-envars.html
 * @see https://nodejs.org/api/cli.html#node_extra_ca_certsfile
 */
export function instanceCaFiles(instance: InstanceConfig): InstanceCaFiles {
  const db = instance.database.caCertificate;
  const rails: CaBundle[] = [
    ...(db ? [{ purpose: 'database', ref: db, envVar: 'PGSSLROOTCERT', description: 'PostgreSQL CA certificate (libpq)' }] : []),
    ...(instance.search?.caCertificate ? [{ purpose: 'search', ref: instance.search.caCertificate, envVar: 'ES_CA_FILE', description: 'OpenSearch CA bundle' }] : []),
    ...(instance.smtp?.caCertificate ? [{ purpose: 'smtp', ref: instance.smtp.caCertificate, envVar: 'SMTP_CA_FILE', description: 'SMTP CA bundle' }] : []),
    ...(instance.smtp?.bulk?.caCertificate ? [{ purpose: 'bulk-smtp', ref: instance.smtp.bulk.caCertificate, envVar: 'BULK_SMTP_CA_FILE', description: 'bulk SMTP CA bundle' }] : []),
  ];
  const streaming: CaBundle[] = db ? [{ purpose: 'database', ref: db, envVar: 'NODE_EXTRA_CA_CERTS', description: 'PostgreSQL CA certificate (Node.js)' }] : [];
  return {
    rails: caFiles(rails),
    streaming: caFiles(streaming),
    requiredSecrets: [...rails, ...streaming].flatMap((b) => (b.ref.secret
      ? [{ name: b.ref.secret, key: b.ref.key, envVar: `${b.envVar} (file ${filePath(b)})`, purpose: b.description, file: true }]
      : [])),
  };
}

function filePath(bundle: CaBundle): string {
  return `${CA_DIR}/${bundle.purpose}/${CA_FILE_NAME}`;
}

function caFiles(bundles: readonly CaBundle[]): CaFiles {
  const items = (b: CaBundle) => [{ key: b.ref.key, path: CA_FILE_NAME }];
  return {
    files: {
      volumes: bundles.map((b) => ({
        name: `ca-${b.purpose}`,
        ...(b.ref.configMap ? { configMap: { name: b.ref.configMap, items: items(b) } } : { secret: { secretName: b.ref.secret, items: items(b) } }),
      })),
      mounts: bundles.map((b) => ({ name: `ca-${b.purpose}`, mountPath: `${CA_DIR}/${b.purpose}`, readOnly: true })),
    },
    env: bundles.map((b) => ({ name: b.envVar, value: filePath(b) })),
  };
}
