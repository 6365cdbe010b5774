import { Yaml } from 'cdk8s';
import fc from 'fast-check';
import { canonical, toYaml } from '../../lib/render/canonical';
import { fastYaml } from '../../lib/render/fast-yaml';
import { libraryYaml, readsBackEqual } from '../../lib/render/library-yaml';
import { numRuns, seed } from './mutations';

/** Characters on the edges of YAML's plain, quoted and block styles and of its number and bool forms. */
const YAML_CHARS = [...'0123456789abefinoxyBEFINOXY.+-_:~<>!&*#|\'"%@`?,[]{}= \t\n\\', '\u00e9', '\u2028', '\u0085', '\ufeff', '\u0001', '🐘'];
const yamlish = fc.string({ unit: fc.constantFrom(...YAML_CHARS), maxLength: 12 });
const text = fc.oneof(yamlish, fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('<<', '0o17', '0x1F', '1e3', '.inf', '~', 'y', 'n', 'yes', 'no', 'on', 'off', ' \n', 'a \n', '\n', '', 'null', '12:30', '2026-11-30'));
const scalar = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)));
/** Keys: mostly field-like names (what the fast emitter handles), sometimes anything. */
const key = fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9./-]{0,8}$/) }, { weight: 1, arbitrary: text });
const { value } = fc.letrec<{ value: unknown; map: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), fc.array(tie('value'), { maxLength: 3 })),
  map: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
}));
const object = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 });
/** Objects shaped like what is rendered (field names; strings, integers, bools), which the fast emitter takes. */
const fieldName = fc.stringMatching(/^[a-z][a-zA-Z0-9./-]{0,8}$/);
const { manifest } = fc.letrec<{ manifest: Record<string, unknown>; field: unknown }>((tie) => ({
  field: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), tie('manifest'), fc.array(fc.oneof(text, tie('manifest')), { maxLength: 3 })),
  manifest: fc.dictionary(fieldName, tie('field'), { minKeys: 1, maxKeys: 4 }),
}));

/**
 * GIVEN random values (maps, lists, strings made of YAML's special characters, numbers, bools,
 * nulls) WHEN our writer writes them THEN a YAML 1.1 and a YAML 1.2 reader read back the same
 * value; the fast emitter and the library writer agree byte for byte; and both match cdk8s'
 * Yaml.stringify wherever cdk8s' output reads back right (elsewhere ours deliberately differs:
 * see lib/render/library-yaml.ts).
 */
describe('the YAML writer on random values', () => {
  const options = { numRuns: numRuns(150), seed: seed() };

  test('GIVEN any object THEN what we write reads back equal under YAML 1.1 and 1.2', () => {
    fc.assert(fc.property(object, (o) => readsBackEqual(toYaml(o), canonical(o))), options);
  });

  test('GIVEN any object the fast emitter handles THEN it writes the bytes of the library writer', () => {
    let handled = 0;
    fc.assert(fc.property(manifest, (o) => {
      const fast = fastYaml(o);
      if (fast !== undefined) handled++;
      return fast === undefined || fast === libraryYaml(canonical(o));
    }), options);
    // The generator reaches the fast emitter, not only its fallback.
    expect(handled).toBeGreaterThan(options.numRuns / 4);
  });

  test('GIVEN any object cdk8s writes correctly THEN we write the same bytes', () => {
    fc.assert(fc.property(object, (o) => {
      const theirs = Yaml.stringify(canonical(o));
      return !readsBackEqual(theirs, canonical(o)) || toYaml(o) === theirs;
    }), options);
  });
});
