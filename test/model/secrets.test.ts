import { loadInstance } from '../../lib/app/load';
import { App } from 'cdk8s';
import { buildInstance } from '../../lib/app/build-instance';
import { IN_CLUSTER_PASSWORDS } from '../../lib/catalog/external-secrets';
import { buildModel } from '../../lib/model/build';
import { resolveSecrets, SecretsSettings } from '../../lib/model/secrets';
import { exampleVariant, loadExample, problemsOf, replaceOnce, warningsOf, renderedFiles } from '../helpers';

const SECRETS = 'secrets:\n  name: mastodon-secrets\n';
const withSecrets = (section: string) => exampleVariant({ instance: (t) => replaceOnce(t, SECRETS, section) }, 'inst');
const ESO = `${SECRETS}  delivery: external-secrets\n  externalSecrets:\n    store: { kind: ClusterSecretStore, name: vault }\n`;

const manual: SecretsSettings = { delivery: 'manual', appSecretName: 'app', external: [], inCluster: [] };

describe('resolveSecrets: the one list of required Secrets', () => {
  test('GIVEN references from several readers WHEN resolved THEN one Secret per namespace/name, keys in first-seen order, each reader once, sorted', () => {
    const resolved = resolveSecrets(manual, 'ns', [
      { name: 'b', key: 'k2', envVar: 'B2', purpose: 'b two' },
      { name: 'a', key: 'k', envVar: 'A', purpose: 'a' },
      { name: 'b', key: 'k1', envVar: 'B1', purpose: 'b one' },
      { name: 'b', key: 'k2', envVar: 'B2_AGAIN', purpose: 'b two, again' },
      { name: 'b', key: 'k2', envVar: 'B2', purpose: 'b two (twice)' },
      { name: 'tok', key: 't', envVar: 'issuer', purpose: 'token', namespace: 'cert-manager' },
      { name: 'ca', key: 'ca.crt', envVar: 'PGSSLROOTCERT', purpose: 'CA', file: true },
    ]);
    expect(resolved.secrets.map((s) => `${s.namespace}/${s.name}`)).toEqual(['cert-manager/tok', 'ns/a', 'ns/b', 'ns/ca']);
    const b = resolved.secrets.find((s) => s.name === 'b')!;
    expect(b.keys).toEqual([
      { key: 'k2', purpose: 'b two', file: false, readBy: [{ as: 'B2', purpose: 'b two' }, { as: 'B2_AGAIN', purpose: 'b two, again' }] },
      { key: 'k1', purpose: 'b one', file: false, readBy: [{ as: 'B1', purpose: 'b one' }] },
    ]);
    expect(resolved.secrets.find((s) => s.name === 'ca')!.keys[0].file).toBe(true);
    expect(resolved.secrets.every((s) => !s.external)).toBe(true);
  });

  test('GIVEN secrets.external WHEN resolved THEN those Secrets are marked external (listed, never delivered)', () => {
    const resolved = resolveSecrets({ ...manual, external: ['a'] }, 'ns', [{ name: 'a', key: 'k', envVar: 'A', purpose: 'a' }, { name: 'b', key: 'k', envVar: 'B', purpose: 'b' }]);
    expect(resolved.secrets.map((s) => [s.name, s.external])).toEqual([['a', true], ['b', false]]);
  });
});

describe('secrets.delivery', () => {
  test('GIVEN the example (no delivery) THEN manual: nothing generated in the cluster, and the Secrets of every reader listed', () => {
    const model = buildModel(loadExample());
    expect(model.secrets).toEqual({ delivery: 'manual', appSecretName: 'mastodon-secrets', external: [], inCluster: [] });
    const charts = buildInstance(new App(), model);
    expect(charts.secrets.secrets.map((s) => s.name)).toEqual([
      'backup-bucket', 'backup-encryption', 'deepl', 'dragonfly-auth', 'mastodon-db', 'mastodon-secrets', 'opensearch', 'ses-smtp', 'spaces-credentials',
    ]);
    expect(charts.secrets.secrets.flatMap((s) => s.keys).filter((k) => k.generatedInCluster)).toEqual([]);
  });

  test('GIVEN external-secrets THEN SECRET_KEY_BASE and the Dragonfly password are generated in the cluster, nothing else; the prefix and refresh default', () => {
    const model = buildModel(loadInstance(withSecrets(ESO)));
    expect(model.secrets.externalSecrets).toEqual({ store: { kind: 'ClusterSecretStore', name: 'vault' }, remoteKeyPrefix: 'mastodon-cdk8s/inst', refreshInterval: '1h' });
    const generated = buildInstance(new App(), model).secrets.secrets.flatMap((s) => s.keys.filter((k) => k.generatedInCluster).map((k) => [s.name, k.key, k.generatedInCluster]));
    expect(generated).toEqual([
      ['dragonfly-auth', 'password', IN_CLUSTER_PASSWORDS.dragonflyPassword],
      ['mastodon-secrets', 'SECRET_KEY_BASE', IN_CLUSTER_PASSWORDS.secretKeyBase],
    ]);
  });

  test('GIVEN external-secrets with dragonfly-auth external THEN its password is not generated here', () => {
    const model = buildModel(loadInstance(withSecrets(`${ESO}  external: [dragonfly-auth]\n`)));
    expect(model.secrets.inCluster.map((k) => `${k.name}/${k.key}`)).toEqual(['mastodon-secrets/SECRET_KEY_BASE']);
  });

  test('GIVEN external-secrets without a store THEN refused at the delivery, saying what to add', () => {
    expect(problemsOf(withSecrets(`${SECRETS}  delivery: external-secrets\n`))).toEqual([
      'instance.yaml:87:3: secrets.delivery: delivery external-secrets reads every Secret from a store; allowed: add secrets.externalSecrets.store ({kind: SecretStore or ClusterSecretStore, name}), or another delivery',
    ]);
  });

  test('GIVEN a store but delivery manual THEN a warning: the section is not read', () => {
    expect(warningsOf(withSecrets(`${SECRETS}  externalSecrets:\n    store: { kind: SecretStore, name: vault }\n`))).toEqual([
      'instance.yaml:87:3: secrets.externalSecrets: is read only with secrets.delivery: external-secrets (the delivery is manual); remove it, or set the delivery',
    ]);
  });

  test('GIVEN an unknown delivery or store kind THEN the schema names what is allowed', () => {
    expect(problemsOf(withSecrets(`${SECRETS}  delivery: vault\n`))).toEqual([
      'instance.yaml:87:13: secrets.delivery: "vault" is not allowed; allowed: "manual", "external-secrets", "sealed-secrets"',
    ]);
    expect(problemsOf(withSecrets(`${ESO.replace('ClusterSecretStore', 'Vault')}`)).join('\n')).toMatch(/secrets\.externalSecrets\.store\.kind: "Vault" is not allowed; allowed: "SecretStore", "ClusterSecretStore"/);
  });

  test('GIVEN manual THEN SECRETS.md lists secrets.external apart and gives no command for them', () => {
    const doc = renderedFiles(withSecrets(`${SECRETS}  external: [deepl]\n`)).get('inst/SECRETS.md')!;
    expect(doc).toContain('| `mastodon` | `deepl` | `api-key` | `DEEPL_API_KEY` | DeepL API key |');
    expect(doc).toContain('Made by other means (`secrets.external`), so not created here: `mastodon/deepl`.');
    expect(doc).not.toContain('create secret generic deepl');
  });
});
