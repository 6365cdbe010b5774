import { exampleVariant, objectAt, problemsOf, replaceOnce, renderedFiles } from '../helpers';

const DB_CA = '  sslmode: verify-full\n  caCertificate: { configMap: do-db-ca, key: ca-certificate.crt }\n';

function render(edit: (t: string) => string) {
  return renderedFiles(exampleVariant({ instance: edit }));
}
const container = (o: any) => o.spec.template.spec.containers[0];
const envValue = (o: any, name: string) => container(o).env.find((e: any) => e.name === name)?.value;

describe('CA bundles for PostgreSQL, OpenSearch and SMTP', () => {
  test('GIVEN sslmode verify-full without a CA THEN the error points at sslmode and says what to add', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  sslmode: require\n', '  sslmode: verify-full\n') });
    expect(problemsOf(dir)).toEqual(['instance.yaml:30:12: database.sslmode: "verify-full" verifies the server\'s certificate, but no CA is given; allowed: database.caCertificate (a ConfigMap or Secret key holding the CA certificate, e.g. DigitalOcean\'s "CA certificate" of the database cluster), or sslmode "require"']);
  });

  test('GIVEN a CA with sslmode require THEN it is refused as unused', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  sslmode: require\n', '  sslmode: require\n  caCertificate: { configMap: do-db-ca, key: ca.crt }\n') });
    expect(problemsOf(dir)).toEqual(['instance.yaml:31:3: database.caCertificate: is only used when the certificate is verified, not with sslmode "require"; allowed: sslmode verify-ca or verify-full with it, or no caCertificate']);
  });

  test('GIVEN a CA from both a ConfigMap and a Secret THEN the schema says exactly one', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  sslmode: require\n', '  sslmode: verify-ca\n  caCertificate: { configMap: a, secret: b, key: ca.crt }\n') });
    expect(problemsOf(dir)).toEqual(['instance.yaml:31:18: database.caCertificate: {"configMap":"a","secret":"b","key":"ca.crt"} is not allowed: must NOT have more than 2 properties; allowed: exactly one of configMap or secret, and key']);
  });

  test('GIVEN verify-full with the DigitalOcean CA in a ConfigMap THEN Rails pods get PGSSLROOTCERT and streaming NODE_EXTRA_CA_CERTS, on a read-only mount', () => {
    const files = render((t) => replaceOnce(t, '  sslmode: require\n', DB_CA));
    const volume = { name: 'ca-database', configMap: { name: 'do-db-ca', items: [{ key: 'ca-certificate.crt', path: 'ca.crt' }] } };
    const mount = { name: 'ca-database', mountPath: '/etc/mastodon/ca/database', readOnly: true };
    for (const name of ['mastodon/Deployment.web', 'mastodon/Deployment.sidekiq-default', 'mastodon/Job.db-migrate-pre', 'mastodon/Job.db-migrate-post', 'search/Job.search-deploy-1']) {
      const o = objectAt(files, `variant/${name}.yaml`);
      expect(envValue(o, 'PGSSLROOTCERT')).toBe('/etc/mastodon/ca/database/ca.crt');
      expect(o.spec.template.spec.volumes).toContainEqual(volume);
      expect(container(o).volumeMounts).toContainEqual(mount);
    }
    const streaming = objectAt(files, 'variant/mastodon/Deployment.streaming.yaml');
    // streaming/database.js:85-97: any mode but disable/no-verify verifies against Node's store, which NODE_EXTRA_CA_CERTS extends.
    expect(envValue(streaming, 'DB_SSLMODE')).toBe('verify-full');
    expect(envValue(streaming, 'NODE_EXTRA_CA_CERTS')).toBe('/etc/mastodon/ca/database/ca.crt');
    expect(envValue(streaming, 'PGSSLROOTCERT')).toBeUndefined();
    expect(container(streaming).volumeMounts).toContainEqual(mount);
    expect(objectAt(files, 'variant/mastodon/ConfigMap.mastodon-env.yaml').data.DB_SSLMODE).toBe('verify-full');
  });

  test('GIVEN OpenSearch and SMTP CAs in Secrets THEN ES_CA_FILE and SMTP_CA_FILE point at them and SECRETS.md lists the keys', () => {
    const files = render((t) => replaceOnce(replaceOnce(t,
      '  password: { name: opensearch, key: password }\n', '  password: { name: opensearch, key: password }\n  caCertificate: { secret: opensearch-ca, key: ca.pem }\n'),
    '  enableStarttls: always\n', '  enableStarttls: always\n  caCertificate: { configMap: smtp-ca, key: ca.crt }\n'));
    const web = objectAt(files, 'variant/mastodon/Deployment.web.yaml');
    expect(envValue(web, 'ES_CA_FILE')).toBe('/etc/mastodon/ca/search/ca.crt');
    expect(envValue(web, 'SMTP_CA_FILE')).toBe('/etc/mastodon/ca/smtp/ca.crt');
    expect(web.spec.template.spec.volumes).toContainEqual({ name: 'ca-search', secret: { secretName: 'opensearch-ca', items: [{ key: 'ca.pem', path: 'ca.crt' }] } });
    const streaming = objectAt(files, 'variant/mastodon/Deployment.streaming.yaml');
    expect(streaming.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['tmp']);
    const secrets = files.get('variant/SECRETS.md') ?? '';
    expect(secrets).toContain('opensearch-ca');
    expect(secrets).not.toContain('smtp-ca');
    expect(secrets).toContain('kubectl -n mastodon create secret generic opensearch-ca --from-file=ca.pem="$HOME/.secrets/variant/opensearch-ca/ca.pem"');
  });
});

describe('bulk mail', () => {
  test('GIVEN smtp.bulk.fromAddress THEN it is refused: Mastodon reads no BULK_SMTP_FROM_ADDRESS', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(t, '  enableStarttls: always\n', '  enableStarttls: always\n  bulk: { server: bulk.example.net, login: { name: b, key: u }, password: { name: b, key: p }, fromAddress: news@example.social }\n') });
    expect(problemsOf(dir)).toEqual(['instance.yaml:77:96: smtp.bulk.fromAddress: "news@example.social" is not allowed; allowed: nothing: Mastodon reads no BULK_SMTP_FROM_ADDRESS and sends bulk mail from smtp.fromAddress (config/email.yml, app/mailers/concerns/bulk_mail_settings_concern.rb); remove the field']);
  });
});
