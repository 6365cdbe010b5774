import { findCredential } from '../core/credentials';
import { ConfigProblem } from '../core/errors';
import { ConfigSource, ValuePath } from '../core/source';

/**
 * Every value (and key) of a config file that holds a credential, whatever its name: the file is
 * committed to Git and its values are written to rendered files (ConfigMaps, Argo CD
 * Applications). The message shows where and a masked form, never the credential.
 */
export function credentialProblems(source: ConfigSource): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const check = (text: string, path: ValuePath, atKey: boolean) => {
    const match = findCredential(text);
    if (!match) return;
    const where = match.index === 0 && match.length === text.length ? '' : `, at character ${match.index + 1} of the ${atKey ? 'name' : 'value'}`;
    problems.push(source.problem(path, `holds what looks like ${match.kind} (${match.masked}${where}); this file is committed to Git and its values are written to rendered files; allowed: a Secret reference { name, key } in the typed setting (dist/<instance>/SECRETS.md lists what the cluster must hold), and in a URL the password as $(VAR) of a Secret-backed variable`, atKey));
  };
  const walk = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string') {
      check(value, path, false);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, i]));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        check(k, [...path, k], true);
        walk(v, [...path, k]);
      }
    }
  };
  walk(source.data, []);
  return problems;
}
