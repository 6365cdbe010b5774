import fc from 'fast-check';
import { OTHER_TYPES, readsAsOther } from '../../lib/core/yaml-types';
import { numRuns, seed } from '../fuzz/mutations';

/**
 * readsAsOther answers most strings from their first character alone. That shortcut is read off
 * the `yaml` library's YAML 1.1 and 1.2 type tests: GIVEN those tests THEN they are the ones the
 * shortcut was read from (a new `yaml` release that changes them fails here, for a new reading),
 * and GIVEN any string THEN the shortcut agrees with running every test.
 */
describe('which plain strings read back as another type', () => {
  test('GIVEN the yaml library\'s type tests THEN they are the ones the first-character shortcut was read from', () => {
    expect(OTHER_TYPES.map(String)).toEqual([
      '/^(?:~|[Nn]ull|NULL)?$/',
      '/^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/',
      '/^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/',
      '/^[-+]?0b[0-1_]+$/',
      '/^[-+]?0[0-7_]+$/',
      '/^[-+]?[0-9][0-9_]*$/',
      '/^[-+]?0x[0-9a-fA-F_]+$/',
      '/^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$/',
      '/^[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_]*)?[eE][-+]?[0-9]+$/',
      '/^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*$/',
      '/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/',
      '/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*$/',
      '/^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \\t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/',
      '/^(?:~|[Nn]ull|NULL)?$/',
      '/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/',
      '/^0o[0-7]+$/',
      '/^[-+]?[0-9]+$/',
      '/^0x[0-9a-fA-F]+$/',
      '/^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$/',
      '/^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)[eE][-+]?[0-9]+$/',
      '/^[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*)$/',
    ]);
  });

  test('GIVEN strings each type test matches THEN they read as another type (the first-character shortcut lets them through to the tests)', () => {
    fc.assert(fc.property(fc.oneof(...OTHER_TYPES.map((t) => fc.stringMatching(t))), (value) => readsAsOther(value)), { numRuns: numRuns(2000), seed: seed() });
  });

  test('GIVEN strings of the characters that matter, and any others THEN the answer is the tests\' answer', () => {
    const scalarish = fc.stringMatching(/^[~NnYyTtOoFfAaLlEeSsUuRrIi0-9+\-.:_xXbeE \t]{0,12}$/);
    fc.assert(fc.property(fc.oneof(scalarish, fc.string()), (value) => {
      expect(readsAsOther(value)).toBe(OTHER_TYPES.some((test) => test.test(value)));
    }), { numRuns: numRuns(2000), seed: seed() });
    for (const value of ['', '~', 'null', 'Yes', 'on', 'OFF', '0x1F', '0o17', '.inf', '-.5', '12:30', '2026-11-30', 'web', 'mastodon', 'x1', ' 1']) {
      expect([value, readsAsOther(value)]).toEqual([value, OTHER_TYPES.some((test) => test.test(value))]);
    }
  });
});
