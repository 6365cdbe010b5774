import { Check } from './check';
import { APP_SECRETS, BULK_SMTP_SINCE, compareLines, NEW_DATABASE_SINCE, compareRelease, NEWEST_RELEASE, OLDEST_RELEASE, parseVersion, releaseInfo, removedSetting } from '../catalog/mastodon-releases';
import { secretSettingOf } from '../catalog/secret-settings';
import { error, Finding, warning } from '../core/finding';
import { ConfigSource } from '../core/source';
import { InstanceConfig } from '../config/types';

const UPGRADE_NOTES = 'see "Upgrading Mastodon" in README.md';

/**
 * Checks an instance against its Mastodon version: a release line mastodon-cdk8s supports (older
 * is an error, newer than it knows a warning, past its end of life a warning), and no setting in
 * `extraEnv` that the version removed or that is a secret.
 */
function versionFindings(instance: InstanceConfig, source: ConfigSource): Finding[] {
  const findings: Finding[] = [];
  const version = instance.mastodon.version;
  const { line } = parseVersion(version);
  const versionPath = ['mastodon', 'version'];
  if (compareLines(line, OLDEST_RELEASE.line) < 0) {
    findings.push(error(source.problem(versionPath, `"${version}" is not supported; allowed: v${OLDEST_RELEASE.line}.0 or newer (the separate streaming image and the ACTIVE_RECORD_ENCRYPTION_* keys came with 4.3); ${UPGRADE_NOTES}`)));
  } else if (compareLines(line, NEWEST_RELEASE.line) > 0) {
    findings.push(warning(source.problem(versionPath, `"${version}" is newer than the newest release mastodon-cdk8s knows (${NEWEST_RELEASE.line}): its queues, secrets and removed settings are assumed to be those of ${NEWEST_RELEASE.line}; read its release notes and add it to lib/catalog/mastodon-releases.ts`)));
  } else {
    // Synth has no clock: the warning states the announced date and holds before and after it.
    const endOfLife = releaseInfo(version)?.endOfLife;
    if (endOfLife) {
      findings.push(warning(source.problem(versionPath, `Mastodon ${line} gets security fixes only until ${endOfLife} (its announced end of life, upstream SECURITY.md); upgrade to a newer release line, ${UPGRADE_NOTES}`)));
    }
    if (compareLines(line, NEW_DATABASE_SINCE) < 0) {
      findings.push(warning(source.problem(versionPath, `a new instance cannot start on Mastodon ${line}: its schema load does not record the post-deployment migrations, so the PostSync db-migrate-post Job would fail on an empty database; install v${NEW_DATABASE_SINCE}.0 or newer (an existing ${line} database upgrades as usual)`)));
    }
  }

  if (instance.smtp?.bulk && compareRelease(version, BULK_SMTP_SINCE) < 0) {
    findings.push(error(source.problem(['smtp', 'bulk'], `Mastodon ${line} reads no BULK_SMTP_* settings (they came with ${BULK_SMTP_SINCE}: config/email.yml bulk_mail), so bulk mail would go through smtp; allowed: remove smtp.bulk, or Mastodon v${BULK_SMTP_SINCE}.0 or newer`, true)));
  }

  for (const name of Object.keys(instance.mastodon.extraEnv ?? {})) {
    const path = ['mastodon', 'extraEnv', name];
    const removed = removedSetting(name, version);
    if (removed?.status === 'removed') {
      findings.push(error(source.problem(path, `${name} was removed in Mastodon ${removed.info.removedIn} and ${removed.info.effectWhenRemoved ?? 'does nothing'} in ${version}; instead: ${removed.info.instead}`, true)));
    } else if (removed?.status === 'deprecated') {
      const until = removed.info.removedIn ? ` and removed in ${removed.info.removedIn}` : '';
      findings.push(warning(source.problem(path, `${name} is deprecated since Mastodon ${removed.info.deprecatedIn}${until}; instead: ${removed.info.instead}`, true)));
    } else if (APP_SECRETS.some((s) => s.name === name)) {
      findings.push(error(source.problem(path, `${name} is a secret, and extraEnv is committed to Git; allowed: a key of the Secret named by secrets.name (dist/<instance>/SECRETS.md lists them)`, true)));
    } else {
      const secret = secretSettingOf(name);
      if (secret) {
        const instead = secret.typedBy ? `the typed setting ${secret.typedBy}` : `mastodon.secretEnv.${name}: { name, key } (a Secret reference)`;
        findings.push(error(source.problem(path, `${name} holds a secret (read at ${secret.readAt}), and extraEnv is committed to Git; allowed: ${instead}`, true)));
      }
    }
  }
  return findings;
}

export const checkVersion: Check = ({ sources, instance }) => versionFindings(instance, sources.instance);
