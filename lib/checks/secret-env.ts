import { Check } from './check';
import { secretSettingOf } from '../catalog/secret-settings';
import { error, Finding, warning } from '../core/finding';

/**
 * `mastodon.secretEnv`: a name with a typed setting (DB_PASS: database.password) or an app
 * Secret key is rendered already, from its own reference, so it is refused; so is a name also in
 * extraEnv. A name that is neither in lib/catalog/secret-settings.ts nor an OTEL_* variable
 * is allowed (forks read their own) with a warning, since a typo would be silently unread.
 */
export const checkSecretEnv: Check = ({ sources, instance }) => {
  const findings: Finding[] = [];
  const extraEnv = instance.mastodon.extraEnv ?? {};
  for (const name of Object.keys(instance.mastodon.secretEnv ?? {})) {
    const path = ['mastodon', 'secretEnv', name];
    const setting = secretSettingOf(name);
    if (setting?.typedBy) {
      findings.push(error(sources.instance.problem(path, `${name} is rendered from ${setting.typedBy}; allowed: that setting, or a secret setting without one (lib/catalog/secret-settings.ts)`, true)));
    } else if (Object.hasOwn(extraEnv, name)) {
      findings.push(error(sources.instance.problem(path, `${name} is also in mastodon.extraEnv; allowed: one of the two (a secret value belongs here, as a Secret reference)`, true)));
    } else if (!setting && !name.startsWith('OTEL_')) {
      findings.push(warning(sources.instance.problem(path, `${name} is not a secret setting Mastodon ${instance.mastodon.version} is known to read (lib/catalog/secret-settings.ts); check the name`, true)));
    }
  }
  return findings;
};
