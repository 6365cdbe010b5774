import { randomInt } from 'node:crypto';
import { GENERATOR_API_VERSION, IN_CLUSTER_PASSWORDS } from '../../lib/catalog/external-secrets';
import { PLATFORM_OPERATORS } from '../../lib/catalog/operators';
import { PRUNE_PROTECTED } from '../../lib/catalog/argocd';
import { APP_SECRET_FORMATS } from '../../lib/catalog/mastodon-secret-formats';
import { RenderedObject } from '../../lib/validate/object-problem';
import { get, namespaceOf } from '../../lib/validate/objects';
import { ofKind, renderedCases } from './rendered-cases';

// External Secrets Operator, read at external-secrets/external-secrets@v2.9.0 (ESO:) and the
// password library it pins, sethvargo/go-password@v0.3.1 (GP:, ESO:generators/v1/password/go.mod).

/**
 * ESO:generators/v1/password/password.go:106-134 (extractPasswordConfig): length 24 when unset, and
 * digits and symbols a quarter of the length each when unset; :136-139 secretKeys default ["password"].
 */
function passwordConfig(spec: any): { length: number; digits: number; symbols: number; noUpper: boolean; allowRepeat: boolean; keys: string[] } {
  const length = spec.length > 0 ? spec.length : 24;
  return {
    length,
    digits: spec.digits ?? Math.trunc(length * 0.25),
    symbols: spec.symbols ?? Math.trunc(length * 0.25),
    noUpper: spec.noUpper === true,
    allowRepeat: spec.allowRepeat === true,
    keys: spec.secretKeys?.length ? spec.secretKeys : ['password'],
  };
}

/** GP:password/generate.go:33-45 and :131-211 (Generate), with its refusals (:137-152), drawing from Node's CSPRNG. */
function goPasswordGenerate(length: number, digits: number, symbols: number, noUpper: boolean, allowRepeat: boolean): string {
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  const letters = noUpper ? lower : `${lower}ABCDEFGHIJKLMNOPQRSTUVWXYZ`;
  const symbolChars = '~!@#$%^&*()_+`-={}|[]\\:"<>?,./';
  const chars = length - digits - symbols;
  if (chars < 0) throw new Error('ErrExceedsTotalLength');
  if (!allowRepeat && chars > letters.length) throw new Error('ErrLettersExceedsAvailable');
  if (!allowRepeat && digits > 10) throw new Error('ErrDigitsExceedsAvailable');
  if (!allowRepeat && symbols > symbolChars.length) throw new Error('ErrSymbolsExceedsAvailable');
  let result = '';
  const insert = (alphabet: string, n: number) => {
    for (let i = 0; i < n; i++) {
      const ch = alphabet[randomInt(alphabet.length)];
      if (!allowRepeat && result.includes(ch)) { i--; continue; }
      const at = randomInt(result.length + 1);
      result = result.slice(0, at) + ch + result.slice(at);
    }
  };
  insert(letters, chars);
  insert('0123456789', digits);
  insert(symbolChars, symbols);
  return result;
}

/** What ESO writes into the Secret for a rendered Password (raw encoding: password.go:195-212). */
function generate(password: RenderedObject): Record<string, string> {
  const c = passwordConfig(get(password.object, ['spec']));
  return Object.fromEntries(c.keys.map((k) => [k, goPasswordGenerate(c.length, c.digits, c.symbols, c.noUpper, c.allowRepeat)]));
}

const cases = renderedCases().filter((c) => ofKind(c.objects, 'ExternalSecret').length > 0);

test('GIVEN the examples THEN one of them delivers its Secrets through external-secrets', () => {
  expect(cases.map((c) => c.name)).toEqual(['the gateway-example fixture']);
});

describe.each(cases)('External Secrets Operator v2.9.0 and the Secrets of $name', ({ objects }) => {
  const passwords = ofKind(objects, 'Password');
  const externalSecrets = ofKind(objects, 'ExternalSecret');
  const passwordNamed = (ns: string, name: string) => passwords.find((p) => p.object.metadata.name === name && namespaceOf(p) === ns);
  const generatorsOf = (es: RenderedObject) => ((get(es.object, ['spec', 'dataFrom']) ?? []) as any[]).map((d) => d.sourceRef?.generatorRef).filter(Boolean);

  test('GP:password/generate.go:137-152: every Password can be generated (no refusal), writes symbols: 0 out (password.go:119-126 would make a quarter of it symbols), and yields letters and digits only', () => {
    expect(passwords.length).toBeGreaterThan(0);
    for (const p of passwords) {
      expect([p.file, get(p.object, ['spec', 'symbols'])]).toEqual([p.file, 0]);
      for (let i = 0; i < 50; i++) {
        for (const value of Object.values(generate(p))) {
          expect(value).toMatch(/^[A-Za-z0-9]+$/);
          expect(value).toHaveLength(get(p.object, ['spec', 'length']));
        }
      }
    }
  });

  test('ESO:apis/externalsecrets/v1/externalsecret_types.go:624-628, 636-660: generators are referenced from dataFrom[].sourceRef.generatorRef (not data[], where it is not implemented), by a Password of the same namespace', () => {
    for (const es of externalSecrets) {
      for (const d of (get(es.object, ['spec', 'data']) ?? []) as any[]) expect(d.sourceRef).toBeUndefined();
      for (const g of generatorsOf(es)) {
        expect(g.apiVersion).toBe(GENERATOR_API_VERSION);
        expect(g.kind).toBe('Password');
        expect(passwordNamed(namespaceOf(es)!, g.name)).toBeDefined();
      }
    }
  });

  test('ESO:…/externalsecret_controller.go:1226-1279, 364-375: an ExternalSecret with a generator refreshes once (CreatedOnce), so generated values never change on a refresh or an Argo CD label change; Argo CD deletes it (and the Secret it owns, :816-819) only when someone confirms', () => {
    const withGenerators = externalSecrets.filter((es) => generatorsOf(es).length > 0);
    expect(withGenerators.length).toBeGreaterThan(0);
    for (const es of withGenerators) {
      expect([es.file, get(es.object, ['spec', 'refreshPolicy'])]).toEqual([es.file, 'CreatedOnce']);
      expect(es.object.metadata).toMatchObject({ annotations: PRUNE_PROTECTED });
    }
    for (const es of externalSecrets.filter((e) => generatorsOf(e).length === 0)) {
      expect(get(es.object, ['spec', 'refreshPolicy'])).toBe('Periodic');
      expect(get(es.object, ['spec', 'refreshInterval'])).toMatch(/^([0-9]+(ms|s|m|h))+$/);
    }
  });

  test('ESO:…/externalsecret_types.go:248-258, 577-578: every ExternalSecret owns its Secret (creationPolicy Owner, deletionPolicy Retain), names it after itself, and names a store exactly when it reads keys from one', () => {
    for (const es of externalSecrets) {
      const spec = get(es.object, ['spec']);
      expect(spec.target).toEqual({ name: es.object.metadata.name, creationPolicy: 'Owner', deletionPolicy: 'Retain' });
      expect([es.file, spec.secretStoreRef !== undefined]).toEqual([es.file, (spec.data ?? []).length > 0]);
    }
  });

  test('ESO:…/externalsecret_controller_secret.go:80-147: the generated keys and the store keys of a Secret do not overlap (a store key would silently replace a generated one, :111-147 run after :80-108)', () => {
    for (const es of externalSecrets) {
      const stored = ((get(es.object, ['spec', 'data']) ?? []) as any[]).map((d) => d.secretKey);
      const generated = generatorsOf(es).flatMap((g: any) => passwordConfig(get(passwordNamed(namespaceOf(es)!, g.name)!.object, ['spec'])).keys);
      expect(stored.filter((k) => generated.includes(k))).toEqual([]);
      expect(new Set([...stored, ...generated]).size).toBe(stored.length + generated.length);
    }
  });

  test('Mastodon: only values whose loss is recoverable are generated in the cluster: never the ActiveRecord keys, OTP_SECRET or VAPID', () => {
    const generatedKeys = passwords.flatMap((p) => passwordConfig(get(p.object, ['spec'])).keys);
    for (const name of Object.keys(APP_SECRET_FORMATS).filter((n) => n !== 'SECRET_KEY_BASE')) expect(generatedKeys).not.toContain(name);
    expect(generatedKeys).toContain('SECRET_KEY_BASE');
  });

  test('a generated Dragonfly password survives the Redis URL: $(REDIS_PASSWORD) interpolated into redis://:…@host reads back unchanged', () => {
    const dragonflyPasswords = passwords.filter((p) => passwordConfig(get(p.object, ['spec'])).keys.includes('password'));
    expect(dragonflyPasswords.length).toBeGreaterThan(0);
    for (const p of dragonflyPasswords) {
      for (let i = 0; i < 50; i++) {
        const value = generate(p).password;
        expect(decodeURIComponent(new URL(`redis://:${value}@dragonfly-mastodon:6379/0`).password)).toBe(value);
      }
    }
  });

  test('ESO@helm-chart-2.9.0 deploy/charts/external-secrets/Chart.yaml:5-6: the operator Application installs chart 2.9.0 (appVersion v2.9.0, the release of the CRDs) with its CRDs (values.yaml:57)', () => {
    const eso = ofKind(objects, 'Application').find((a) => get(a.object, ['spec', 'source', 'chart']) === 'external-secrets');
    expect(get(eso!.object, ['spec', 'source'])).toMatchObject({ repoURL: PLATFORM_OPERATORS['external-secrets'].chart.repoURL, targetRevision: '2.9.0', helm: { valuesObject: { installCRDs: true } } });
  });
});

test('the in-cluster password specs stay within what go-password can make (GP:password/generate.go:137-152) and keep ≥ 128 bits', () => {
  for (const { spec } of Object.values(IN_CLUSTER_PASSWORDS)) {
    expect(spec.length - spec.digits - spec.symbols).toBeGreaterThan(0);
    const bits = (spec.length - spec.digits) * Math.log2(52) + spec.digits * Math.log2(10);
    expect(bits).toBeGreaterThan(128);
  }
});
