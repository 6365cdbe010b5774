import * as fs from 'node:fs';
import * as path from 'node:path';
import { sealedSecretFileText, sealerFor } from '../../lib/app/seal';
import { sealingKeyOf } from '../../lib/catalog/sealed-secrets';
import { readSealedSecrets } from '../../lib/config/sealed-secrets';
import { ConfigError } from '../../lib/core/errors';
import { tempDir } from '../helpers';
import { makeSealingKey } from '../sealing-keys';

/**
 * The committed SealedSecrets synth copies: each must be what the controller unseals into the
 * Secret its path names, strict scope only (sealed-secrets@v0.36.6
 * pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go:111-120, :270-274: the controller
 * takes the label from the SealedSecret's own name, namespace and scope annotations).
 */
describe('config/<instance>/sealed/', () => {
  const seal = sealerFor(sealingKeyOf(makeSealingKey().certPem, new Date()).key);
  const good = (namespace: string, name: string) => sealedSecretFileText({ namespace, name, encryptedData: { password: seal(namespace, name, 'x') } });

  function instance(files: Record<string, string>): string {
    const dir = tempDir();
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, 'sealed', file)), { recursive: true });
      fs.writeFileSync(path.join(dir, 'sealed', file), text);
    }
    return dir;
  }

  function problems(dir: string): string[] {
    try {
      readSealedSecrets(dir);
    } catch (e) {
      if (e instanceof ConfigError) return e.problems.map((p) => `${path.relative(path.join(dir, 'sealed'), path.resolve(p.file))}:${p.line}: ${p.path}: ${p.message}`);
      throw e;
    }
    return [];
  }

  test('GIVEN no sealed folder THEN none; GIVEN files written by secrets seal THEN read back sorted', () => {
    expect(readSealedSecrets(tempDir())).toEqual([]);
    const dir = instance({ 'mastodon/b.yaml': good('mastodon', 'b'), 'mastodon/a.yaml': good('mastodon', 'a') });
    expect(readSealedSecrets(dir).map((s) => [s.namespace, s.name, Object.keys(s.encryptedData)])).toEqual([['mastodon', 'a', ['password']], ['mastodon', 'b', ['password']]]);
  });

  test('GIVEN a file moved to another name or namespace, a wider scope, plaintext templates or a value that is not sealed THEN each is refused at its line', () => {
    const widened = good('mastodon', 'c').replace('metadata:\n  name: c\n', 'metadata:\n  annotations:\n    sealedsecrets.bitnami.com/cluster-wide: "true"\n  name: c\n');
    const templated = good('mastodon', 'd').replace('    type: Opaque', '    type: Opaque\n    data:\n      url: "postgres://{{ .password }}"');
    const plain = good('mastodon', 'e').replace(/password: \S+/, 'password: aHVudGVyMg==');
    const dir = instance({
      'mastodon/renamed.yaml': good('mastodon', 'a'),
      'other/a.yaml': good('mastodon', 'a'),
      'mastodon/c.yaml': widened,
      'mastodon/d.yaml': templated,
      'mastodon/e.yaml': plain,
      'mastodon/notes.txt': 'x',
    });
    expect(problems(dir)).toEqual([
      'mastodon/c.yaml:7: metadata.annotations.sealedsecrets.bitnami.com/cluster-wide: is not allowed: values are sealed for the strict scope (one name in one namespace), so they cannot be unsealed elsewhere',
      'mastodon/d.yaml:17: spec.template.data: is not allowed: a template is plaintext; seal each key into spec.encryptedData',
      "mastodon/e.yaml:10: spec.encryptedData.password: is not a value sealed by the controller's format (base64 of length ‖ RSA-OAEP ‖ AES-GCM); write it with `mastodon-cdk8s secrets seal`",
      'mastodon/notes.txt:1: : expected <Secret name>.yaml (write it with `mastodon-cdk8s secrets seal`)',
      "mastodon/renamed.yaml:6: metadata.name: expected renamed, the file's name: a value is sealed for one Secret name",
      'mastodon/renamed.yaml:13: spec.template.metadata.name: expected renamed or nothing',
      "other/a.yaml:7: metadata.namespace: expected other, the folder's name: a value is sealed for one namespace",
      'other/a.yaml:14: spec.template.metadata.namespace: expected other or nothing',
    ]);
    // The plaintext that was put where a sealed value belongs is not repeated.
    expect(problems(dir).join('\n')).not.toContain('aHVudGVyMg');
  });
});
