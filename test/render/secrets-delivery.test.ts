import { loadInstance } from '../../lib/app/load';
import { renderInstance, unproducedSecretReferences } from '../../lib/app/render';
import { App } from 'cdk8s';
import { buildInstance } from '../../lib/app/build-instance';
import { buildModel } from '../../lib/model/build';
import { unproducedReferences } from '../../lib/checks/secret-references';
import { errorOf, exampleVariant, gatewayExampleVariant, GATEWAY_EXAMPLE_DIR, objects, replaceOnce } from '../helpers';

const GATEWAY = GATEWAY_EXAMPLE_DIR;
const ESO = 'secrets:\n  name: mastodon-secrets\n  delivery: external-secrets\n  externalSecrets:\n    store: { kind: SecretStore, name: vault }\n';
const withSecrets = (section: string) => exampleVariant({ instance: (t) => replaceOnce(t, 'secrets:\n  name: mastodon-secrets\n', section) }, 'inst');

function rendered(dir: string) {
  const loaded = loadInstance(dir);
  const result = renderInstance(loaded);
  const files = objects(result.files);
  const list = [...files].map(([file, object]) => ({ file, object }));
  return { loaded, result, files, list };
}

describe('GIVEN secrets.delivery: external-secrets (the gateway-example fixture with a ClusterSecretStore) WHEN rendered', () => {
  const { loaded, result, files, list } = rendered(GATEWAY);
  const secretsFolder = [...files.keys()].filter((f) => f.startsWith('gateway-example/secrets/')).sort();

  test('THEN the secrets chart holds one ExternalSecret per Secret of the instance namespace and a Password per generated key, and nothing else', () => {
    expect(secretsFolder).toEqual([
      'gateway-example/secrets/ExternalSecret.dragonfly-auth.yaml',
      'gateway-example/secrets/ExternalSecret.mastodon-db.yaml',
      'gateway-example/secrets/ExternalSecret.mastodon-secrets.yaml',
      'gateway-example/secrets/ExternalSecret.smtp.yaml',
      'gateway-example/secrets/ExternalSecret.spaces-credentials.yaml',
      'gateway-example/secrets/ExternalSecret.valkey.yaml',
      'gateway-example/secrets/Password.dragonfly-auth-password.yaml',
      'gateway-example/secrets/Password.mastodon-secrets-secret-key-base.yaml',
    ]);
  });

  test('THEN no Secret object is rendered anywhere (values are never in dist/)', () => {
    expect([...files.values()].filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('THEN a generated-only Secret reads no store; a store Secret names each key and property', () => {
    expect(files.get('gateway-example/secrets/ExternalSecret.dragonfly-auth.yaml').spec).toEqual({
      target: { name: 'dragonfly-auth', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      refreshPolicy: 'CreatedOnce',
      dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'dragonfly-auth-password' } } }],
    });
    expect(files.get('gateway-example/secrets/ExternalSecret.smtp.yaml').spec).toEqual({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
      target: { name: 'smtp', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      refreshPolicy: 'Periodic',
      refreshInterval: '1h',
      data: [
        { secretKey: 'username', remoteRef: { key: 'mastodon-cdk8s/gateway-example/smtp', property: 'username' } },
        { secretKey: 'password', remoteRef: { key: 'mastodon-cdk8s/gateway-example/smtp', property: 'password' } },
      ],
    });
  });

  test('THEN the ESO operator is installed in the operators\' wave and the instance project may create the two kinds', () => {
    const app = files.get('gateway-example/argocd/Application.external-secrets-gateway.yaml');
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-3');
    const child = files.get('gateway-example/argocd/Application.gateway-example-secrets.yaml');
    expect(child.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-2');
    expect(child.spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
    const kinds = files.get('gateway-example/argocd/AppProject.gateway-example.yaml').spec.namespaceResourceWhitelist;
    expect(kinds).toEqual(expect.arrayContaining([{ group: 'external-secrets.io', kind: 'ExternalSecret' }, { group: 'generators.external-secrets.io', kind: 'Password' }]));
  });

  test('THEN every Secret key a workload reads is produced by an ExternalSecret', () => {
    const charts = buildInstance(new App(), buildModel(loaded));
    expect(unproducedReferences(charts.secrets, 'social', list)).toEqual([]);
  });

  test('THEN the DNS-01 token in cert-manager\'s namespace comes from an ExternalSecret there, in the platform project (ClusterSecretStore)', () => {
    expect([...files.keys()].filter((f) => f.startsWith('gateway-example/platform-secrets/'))).toEqual(['gateway-example/platform-secrets/ExternalSecret.digitalocean-dns.yaml']);
    const es = files.get('gateway-example/platform-secrets/ExternalSecret.digitalocean-dns.yaml');
    expect(es.metadata.namespace).toBe('cert-manager');
    expect(es.spec.data).toEqual([{ secretKey: 'access-token', remoteRef: { key: 'mastodon-cdk8s/gateway-example/digitalocean-dns', property: 'access-token' } }]);
    expect(files.get('gateway-example/argocd/Application.gateway-example-platform-secrets.yaml').spec.project).toBe('gateway-example-platform');
  });

  test('THEN SECRETS.md lists the store entries and the generated keys, and no kubectl line (no value typed by hand)', () => {
    const doc = result.files.get('gateway-example/SECRETS.md')!;
    expect(doc).toContain('| `mastodon-cdk8s/gateway-example/valkey` | `password` | `valkey` | every 1h | `CACHE_REDIS_PASSWORD` |');
    expect(doc).toContain('| `mastodon-cdk8s/gateway-example/mastodon-secrets` | `VAPID_PRIVATE_KEY` | `mastodon-secrets` | once | `VAPID_PRIVATE_KEY` |');
    expect(doc).not.toMatch(/\| `mastodon-cdk8s\/gateway-example\/mastodon-secrets` \| `SECRET_KEY_BASE`/);
    expect(doc).toContain('| `mastodon-secrets` | `SECRET_KEY_BASE` | `Password/mastodon-secrets-secret-key-base` (128 letters and digits) |');
    const id = 'gateway-example';
    expect(doc).toContain(`secrets generate --config config/${id} --format json | vault kv put -mount=secret mastodon-cdk8s/${id}/mastodon-secrets -`);
    expect(doc).toContain('| `mastodon-cdk8s/gateway-example/digitalocean-dns` | `access-token` | `cert-manager/digitalocean-dns` | every 1h |');
    expect(doc).not.toContain('create secret generic');
  });
});

describe('the produced-or-external check', () => {
  const { loaded, list } = rendered(GATEWAY);
  const charts = buildInstance(new App(), buildModel(loaded));

  test('GIVEN an ExternalSecret missing from the output THEN each reference to its Secret is named at its line, with the fix', () => {
    const without = list.filter((o) => o.file !== 'gateway-example/secrets/ExternalSecret.smtp.yaml');
    const found = unproducedReferences(charts.secrets, 'social', without);
    expect(found.map((u) => `${u.at.file} ${u.key}`)).toEqual(expect.arrayContaining([
      'gateway-example/mastodon/Deployment.web.yaml username',
      'gateway-example/mastodon/Deployment.web.yaml password',
    ]));
    expect(found[0].message).toBe('reads the key username of Secret social/smtp, which the external-secrets delivery does not produce; no ExternalSecret in the secrets chart makes it (there is one per Secret of SECRETS.md): render again with `npm run synth` rather than editing dist/, or list the Secret in secrets.external if something else makes it');
  });

  test('GIVEN a Password generator missing THEN the key it would make is unproduced', () => {
    const without = list.filter((o) => o.file !== 'gateway-example/secrets/Password.mastodon-secrets-secret-key-base.yaml');
    expect([...new Set(unproducedReferences(charts.secrets, 'social', without).map((u) => `${u.name}/${u.key}`))]).toEqual(['mastodon-secrets/SECRET_KEY_BASE']);
  });

  test('GIVEN manual and a reference SECRETS.md does not list THEN named as a construct that forgot to declare it', () => {
    const example = rendered(withSecrets('secrets:\n  name: mastodon-secrets\n'));
    const secrets = buildInstance(new App(), buildModel(example.loaded)).secrets;
    const pruned = { ...secrets, secrets: secrets.secrets.filter((s) => s.name !== 'deepl') };
    const found = unproducedReferences(pruned, 'mastodon', example.list);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((u) => u.name === 'deepl' && /SECRETS\.md does not list it/.test(u.message))).toBe(true);
    // Declared external, the same references are fine.
    expect(unproducedReferences({ ...pruned, settings: { ...pruned.settings, external: ['deepl'] } }, 'mastodon', example.list)).toEqual([]);
  });

  test('GIVEN a namespaced SecretStore and operators: none THEN the token of another namespace is created by hand (SECRETS.md says why); GIVEN a ClusterSecretStore THEN the platform project may deploy its ExternalSecret there', () => {
    const copy = (store: string) => rendered(gatewayExampleVariant((t) => replaceOnce(replaceOnce(t, 'store: { kind: ClusterSecretStore, name: vault }', `store: ${store}`), '  cluster: gateway #', '  operators: none\n  cluster: gateway #')));
    const namespaced = copy('{ kind: SecretStore, name: vault }');
    expect([...namespaced.files.keys()].some((f) => f.includes('/platform-secrets/'))).toBe(false);
    const doc = namespaced.result.files.get('gateway-example/SECRETS.md')!;
    expect(doc).toContain('No ExternalSecret can make `cert-manager/digitalocean-dns`: a SecretStore serves');
    expect(doc).toContain('kubectl -n cert-manager create secret generic digitalocean-dns');
    const cluster = copy('{ kind: ClusterSecretStore, name: vault }');
    const destinations = cluster.files.get('gateway-example/argocd/AppProject.gateway-example-platform.yaml').spec.destinations.map((d: any) => d.namespace);
    expect(destinations).toContain('cert-manager');
  });

  test('GIVEN external-secrets with a Secret in secrets.external THEN no ExternalSecret for it, and the render passes', () => {
    const { files } = rendered(withSecrets(`${ESO}  external: [deepl]\n`));
    expect(files.has('inst/secrets/ExternalSecret.deepl.yaml')).toBe(false);
    expect(files.has('inst/secrets/ExternalSecret.opensearch.yaml')).toBe(true);
    expect(files.get('inst/secrets/ExternalSecret.opensearch.yaml').spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'vault' });
  });

  test('GIVEN sealed-secrets and no SealedSecret yet THEN the render stops, naming each Secret, its missing keys, the seal command and how to bootstrap the controller', () => {
    const message = errorOf(() => renderInstance(loadInstance(withSecrets('secrets:\n  name: mastodon-secrets\n  delivery: sealed-secrets\n'))));
    expect(message).toMatch(/instance\.yaml:\d+:\d+: secrets\.delivery: sealed-secrets: Secret mastodon\/mastodon-secrets has no sealed SECRET_KEY_BASE/);
    expect(message).toContain('seal them with `npx mastodon-cdk8s secrets seal --instance inst');
    expect(message).toContain('Nothing is sealed yet: the Sealed Secrets controller must run first');
  });

  test('GIVEN the synth check WHEN a workload reads an unproduced key THEN the problem names the rendered file:line:col of the reference', () => {
    const { result } = rendered(GATEWAY);
    const without = { ...charts.secrets, secrets: charts.secrets.secrets.filter((s) => s.name !== 'valkey') };
    const problems = unproducedSecretReferences(without, 'social', list.filter((o) => !o.file.endsWith('ExternalSecret.valkey.yaml')), result.files);
    const web = problems.find((p) => p.file === 'gateway-example/mastodon/Deployment.web.yaml')!;
    expect(web.path).toMatch(/^spec\.template\.spec\.containers\[0\]\.env\[\d+\]\.valueFrom\.secretKeyRef$/);
    const { line, col } = web;
    const text = result.files.get('gateway-example/mastodon/Deployment.web.yaml')!.split('\n');
    // The position is the secretKeyRef's value: its first field, below the `secretKeyRef:` line.
    expect(text[line - 2].trim()).toBe('secretKeyRef:');
    expect(text[line - 1].slice(col - 1)).toMatch(/^(key: password|name: valkey)$/);
  });
});
