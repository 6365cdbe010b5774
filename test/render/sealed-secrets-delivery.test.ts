import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadInstance } from '../../lib/app/load';
import { renderInstance } from '../../lib/app/render';
import { keyGenerators, neededSecrets, planSeal, sealedFileOf, sealedSecretFileText, sealerFor } from '../../lib/app/seal';
import { sealingKeyOf } from '../../lib/catalog/sealed-secrets';
import { readSealedSecrets } from '../../lib/config/sealed-secrets';
import { noSecretValues } from '../../lib/validate/policy';
import { CrdValidator } from '../crds';
import { errorOf, exampleVariant, objects, replaceOnce, renderedFiles } from '../helpers';
import { describeWithShared } from '../shared';
import { makeSealingKey } from '../sealing-keys';

/** The example with `secrets.delivery: sealed-secrets`. */
function sealedVariant(): string {
  return exampleVariant({ instance: (t) => replaceOnce(t, 'secrets:\n  name: mastodon-secrets\n', 'secrets:\n  name: mastodon-secrets\n  delivery: sealed-secrets\n') }, 'vmst');
}

/** Seals every key the instance reads (third-party ones with a dummy value), as `secrets seal` writes them. */
function sealEverything(dir: string, skip: readonly string[] = []): void {
  const loaded = loadInstance(dir);
  const needed = neededSecrets(loaded);
  const generators = keyGenerators(loaded);
  const given = new Map(needed.flatMap((s) => s.keys
    .filter((k) => !generators.some((g) => g.name === s.name && g.keys.includes(k)))
    .map((k): [string, string] => [`${s.name}/${k}`, `value of ${s.name}/${k}`])));
  const plan = planSeal({
    needed: needed.map((s) => ({ ...s, keys: s.keys.filter((k) => !skip.includes(`${s.name}/${k}`)) })),
    committed: [],
    given: new Map([...given].filter(([a]) => !skip.includes(a))),
    generators,
    instanceNamespace: 'mastodon',
    seal: sealerFor(sealingKeyOf(makeSealingKey().certPem, new Date()).key),
  });
  for (const u of plan.updates) {
    fs.mkdirSync(path.dirname(sealedFileOf(loaded, u)), { recursive: true });
    fs.writeFileSync(sealedFileOf(loaded, u), sealedSecretFileText(u));
  }
}

describe('secrets.delivery: sealed-secrets', () => {
  const dir = sealedVariant();
  sealEverything(dir);
  const rendered = renderInstance(loadInstance(dir));
  const tree = objects(rendered.files);

  test('GIVEN every Secret sealed WHEN rendered THEN one SealedSecret per Secret in secrets/, its ciphertext copied byte for byte, labelled, strict scope', () => {
    const committed = readSealedSecrets(dir);
    const files = [...rendered.files.keys()].filter((f) => f.startsWith('vmst/secrets/')).sort();
    expect(files).toEqual(committed.map((s) => `vmst/secrets/SealedSecret.${s.name}.yaml`).sort());
    expect(files).toEqual([
      'vmst/secrets/SealedSecret.backup-bucket.yaml', 'vmst/secrets/SealedSecret.backup-encryption.yaml', 'vmst/secrets/SealedSecret.deepl.yaml',
      'vmst/secrets/SealedSecret.dragonfly-auth.yaml', 'vmst/secrets/SealedSecret.mastodon-db.yaml', 'vmst/secrets/SealedSecret.mastodon-secrets.yaml',
      'vmst/secrets/SealedSecret.opensearch.yaml', 'vmst/secrets/SealedSecret.ses-smtp.yaml', 'vmst/secrets/SealedSecret.spaces-credentials.yaml',
    ]);
    for (const s of committed) {
      const object = tree.get(`vmst/secrets/SealedSecret.${s.name}.yaml`);
      expect(object.metadata).toEqual({ name: s.name, namespace: 'mastodon', labels: expect.objectContaining({ 'app.kubernetes.io/instance': 'vmst', 'app.kubernetes.io/component': 'secrets' }) });
      expect(object.spec.encryptedData).toEqual(s.encryptedData);
      expect(object.spec.template.metadata).toMatchObject({ name: s.name, namespace: 'mastodon' });
    }
    // No Secret with data is ever rendered.
    expect([...tree.values()].filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('THEN the controller is installed like the other operators (chart 2.18.5 = controller 0.36.6, where kubeseal looks) and the secrets app syncs before the migrations', () => {
    const operator = [...tree.entries()].find(([f, o]) => f.includes('/argocd/') && o.kind === 'Application' && o.spec?.source?.chart === 'sealed-secrets')?.[1];
    expect(operator.spec.source).toMatchObject({ repoURL: 'https://bitnami-labs.github.io/sealed-secrets', chart: 'sealed-secrets', targetRevision: '2.18.5' });
    expect(operator.spec.destination.namespace).toBe('kube-system');
    expect(JSON.stringify(operator.spec.source.helm)).toContain('sealed-secrets-controller');
    const app = [...tree.values()].find((o) => o.kind === 'Application' && o.spec?.source?.path?.endsWith('/secrets'));
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-2');
  });

  test('THEN SECRETS.md names each Secret\'s sealed file and the command that seals it, and no kubectl create', () => {
    const doc = rendered.files.get('vmst/SECRETS.md')!;
    expect(doc).toContain('| `mastodon/mastodon-secrets` | `config/vmst/sealed/mastodon/mastodon-secrets.yaml` | `SECRET_KEY_BASE`, `VAPID_PRIVATE_KEY`, `VAPID_PUBLIC_KEY`, `ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY`, `ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT`, `ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY` | generated and sealed by `npx mastodon-cdk8s secrets seal --instance vmst` |');
    expect(doc).toContain('| `mastodon/ses-smtp` | `config/vmst/sealed/mastodon/ses-smtp.yaml` | `username`, `password` | `npx mastodon-cdk8s secrets seal --instance vmst --secret ses-smtp --from-file ~/.secrets/vmst/ses-smtp.env` (username=…, password=…, one per line; outside the repository) |');
    expect(doc).not.toContain('kubectl -n mastodon create secret');
  });

  test('GIVEN the same committed files WHEN rendered again THEN byte-identical output (synth only copies)', () => {
    expect(renderInstance(loadInstance(dir)).files).toEqual(rendered.files);
  });

  test('GIVEN a Secret key not sealed WHEN rendered THEN an error names the Secret, the key and the command that seals it', () => {
    const partial = sealedVariant();
    sealEverything(partial, ['ses-smtp/password', 'ses-smtp/username', 'dragonfly-auth/password']);
    const message = errorOf(() => renderInstance(loadInstance(partial)));
    expect(message).toContain('sealed-secrets: Secret mastodon/ses-smtp has no sealed username, password in ');
    expect(message).toContain('seal them with `npx mastodon-cdk8s secrets seal --instance vmst --secret ses-smtp --from-file <env file outside the repository: username=…, password=…>` and commit the file.');
    expect(message).toContain('Secret mastodon/dragonfly-auth has no sealed password');
    expect(message).toContain('seal it with `npx mastodon-cdk8s secrets seal --instance vmst` and commit the file.');
  });

  test('GIVEN nothing sealed yet THEN the error says how to bootstrap the controller first', () => {
    expect(errorOf(() => renderInstance(loadInstance(sealedVariant())))).toContain('Nothing is sealed yet: the Sealed Secrets controller must run first (list sealed-secrets in argocd.operators while secrets.delivery is still manual, sync), then `kubeseal --fetch-cert >');
  });

  test('GIVEN a sealed file of a Secret the instance no longer reads THEN a warning, and it is not rendered', () => {
    const stale = sealedVariant();
    sealEverything(stale);
    fs.copyFileSync(path.join(stale, 'sealed', 'mastodon', 'deepl.yaml'), path.join(stale, 'sealed', 'mastodon', 'old-name.yaml'));
    fs.writeFileSync(path.join(stale, 'sealed', 'mastodon', 'old-name.yaml'), fs.readFileSync(path.join(stale, 'sealed', 'mastodon', 'old-name.yaml'), 'utf8').replace(/name: deepl/g, 'name: old-name'));
    const result = renderInstance(loadInstance(stale));
    expect(result.warnings.map((w) => w.message)).toContainEqual(expect.stringContaining('the instance reads no Secret old-name in namespace mastodon, so this SealedSecret is not rendered'));
    expect([...result.files.keys()].some((f) => f.includes('old-name'))).toBe(false);
  });

  test('GIVEN manual delivery THEN committed sealed files are not read and nothing is rendered for them', () => {
    const manual = exampleVariant();
    fs.mkdirSync(path.join(manual, 'sealed', 'mastodon'), { recursive: true });
    fs.writeFileSync(path.join(manual, 'sealed', 'mastodon', 'broken.yaml'), 'not: a sealed secret\n');
    const files = [...renderedFiles(manual).keys()];
    expect(files.some((f) => f.includes('/secrets/') || f.includes('sealed-secrets'))).toBe(false);
  });
});

describeWithShared('SealedSecrets validate against the pinned CRD (sealed-secrets v0.36.6)', () => {
  test('GIVEN the rendered SealedSecrets THEN each validates', () => {
    const dir = sealedVariant();
    sealEverything(dir);
    const crds = new CrdValidator();
    const sealed = [...objects(renderedFiles(dir)).values()].filter((o) => o.kind === 'SealedSecret');
    expect(sealed.length).toBe(9);
    for (const o of sealed) expect(crds.errors(o)).toEqual([]);
  });
});

describe('policy: a SealedSecret holds only sealed values', () => {
  test('GIVEN a token pasted into encryptedData or a plaintext template THEN noSecretValues still refuses it', () => {
    const object = {
      apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'x', namespace: 'mastodon' },
      spec: { encryptedData: { token: 'ghp_0123456789abcdefghijABCDEFGHIJ012345' }, template: { data: { url: 'postgres://u:hunter2hunter2@db:5432/x' } } },
    };
    const problems = noSecretValues([{ file: 'x.yaml', object }]).map((p) => p.path);
    expect(problems).toEqual(['spec.encryptedData.token', 'spec.template.data.url']);
  });
});
