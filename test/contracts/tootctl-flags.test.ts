import fc from 'fast-check';
import { RELEASES } from '../../lib/catalog/mastodon-releases';
import { TOOTCTL_COMMANDS, TootctlCommand, tootctlAccepts, tootctlCommand } from '../../lib/catalog/tootctl';
import { InstanceConfig } from '../../lib/config/types';
import { DEFAULTS } from '../../lib/model/defaults';
import { maintenanceModel } from '../../lib/model/maintenance';
import { loadExample } from '../helpers';

/**
 * The `option` declarations of the tootctl commands the housekeeping CronJobs run, per release line,
 * as read in glitch-soc/mastodon (upstream files) lib/mastodon/cli/*.rb:
 * - media.rb `remove`: v4.3.0 :11-17, v4.4.0 :13-19, v4.5.0 :13-19 (days, prune_profiles,
 *   remove_headers, include_follows, concurrency, verbose, dry_run); v4.6.0 :13-20 adds
 *   keep_interacted (:20, used at :70), v4.6.5 the same.
 * - media.rb `remove-orphans`: v4.5.0 :82-85, v4.6.0 :90-93 (start_after, prefix, fix_permissions, dry_run).
 * - preview_cards.rb `remove`: :9-13 at every tag (days, concurrency, verbose, dry_run, link).
 * - accounts.rb `prune`: v4.3.0 :492-493, v4.4.0 :500-501, v4.6.0 :498-499 (concurrency, dry_run).
 * - statuses.rb `remove`: :9-15 at v4.3.0 and v4.6.5 (days, batch_size, continue, clean_followed,
 *   skip_status_remove, skip_media_remove, compress_database).
 * - accounts.rb `create` (the first owner): v4.3.0 :46-51, v4.4.0 and v4.5.0 :45-50, v4.6.0 and
 *   v4.6.5 :43-48 (email, confirmed, role, reattach, force, approve).
 * The 4.7 line is taken as 4.6's (mjankowski/mastodon cebb47f7f7, the stable-4.7 branch point, media.rb:20).
 */
const UPSTREAM: Record<string, Record<TootctlCommand, readonly string[]>> = (() => {
  const before46 = {
    mediaRemove: ['--days', '--prune-profiles', '--remove-headers', '--include-follows', '--concurrency', '--verbose', '--dry-run'],
    mediaRemoveOrphans: ['--start-after', '--prefix', '--fix-permissions', '--dry-run'],
    previewCardsRemove: ['--days', '--concurrency', '--verbose', '--dry-run', '--link'],
    accountsPrune: ['--concurrency', '--dry-run'],
    statusesRemove: ['--days', '--batch-size', '--continue', '--clean-followed', '--skip-status-remove', '--skip-media-remove', '--compress-database'],
    accountsCreate: ['--email', '--confirmed', '--role', '--reattach', '--force', '--approve'],
  };
  const from46 = { ...before46, mediaRemove: [...before46.mediaRemove, '--keep-interacted'] };
  return { '4.3': before46, '4.4': before46, '4.5': before46, '4.6': from46, '4.7': from46 };
})();

const COMMANDS = Object.keys(TOOTCTL_COMMANDS) as TootctlCommand[];
const base = loadExample().instance;

describe('tootctl maintenance flags (glitch-soc/mastodon v4.3.0–v4.6.5 lib/mastodon/cli)', () => {
  test('GIVEN the catalog THEN it covers every supported release line', () => {
    expect(Object.keys(UPSTREAM)).toEqual(RELEASES.map((r) => r.line));
  });

  test.each(RELEASES.map((r) => r.line))('GIVEN Mastodon %s THEN the catalog accepts only flags upstream declares, and --keep-interacted from 4.6', (line) => {
    const version = `v${line}.0`;
    for (const command of COMMANDS) {
      for (const { flag } of TOOTCTL_COMMANDS[command].flags) {
        expect({ command, flag, accepted: tootctlAccepts(version, command, flag) }).toEqual({ command, flag, accepted: UPSTREAM[line][command].includes(flag) });
      }
    }
    expect(tootctlAccepts(version, 'mediaRemove', '--keep-interacted')).toBe(line >= '4.6');
  });

  test('GIVEN a flag the version lacks WHEN a command line is built THEN it throws rather than render a failing Job', () => {
    expect(() => tootctlCommand('v4.5.3', 'mediaRemove', [['--keep-interacted']])).toThrow('tootctl media remove in Mastodon v4.5.3 has no --keep-interacted');
    expect(() => tootctlCommand('v4.7.2', 'accountsPrune', [['--days', 7]])).toThrow('has no --days');
  });

  test('GIVEN any maintenance config on any line WHEN the model builds the command lines THEN each uses only its version\'s flags and never a combination upstream refuses', () => {
    const lineOf = fc.constantFrom(...RELEASES.map((r) => r.line));
    const config = fc.record({
      mediaRemove: fc.record({ enabled: fc.boolean(), days: fc.integer({ min: 1, max: 3650 }), concurrency: fc.integer({ min: 1, max: 64 }), keepInteracted: fc.boolean() }, { requiredKeys: [] }),
      profileMediaRemove: fc.record({ enabled: fc.boolean(), mode: fc.constantFrom('prune-profiles' as const, 'remove-headers' as const), includeFollows: fc.boolean(), days: fc.integer({ min: 1, max: 3650 }) }, { requiredKeys: [] }),
      previewCardsRemove: fc.record({ enabled: fc.boolean(), days: fc.integer({ min: 14, max: 3650 }), linkOnly: fc.boolean() }, { requiredKeys: [] }),
      mediaRemoveOrphans: fc.record({ enabled: fc.boolean(), prefix: fc.constantFrom('media_attachments', 'accounts/avatars') }, { requiredKeys: [] }),
      accountsPrune: fc.record({ enabled: fc.boolean(), concurrency: fc.integer({ min: 1, max: 64 }) }, { requiredKeys: [] }),
      statusesRemove: fc.record({ enabled: fc.boolean(), days: fc.integer({ min: 1, max: 3650 }), batchSize: fc.integer({ min: 1, max: 100000 }), cleanFollowed: fc.boolean() }, { requiredKeys: [] }),
    }, { requiredKeys: [] });
    fc.assert(fc.property(lineOf, fc.integer({ min: 0, max: 20 }), config, (line, patch, maintenance) => {
      // keepInteracted below 4.6 is refused by the check (test/config/maintenance-check.test.ts) before the model runs.
      const keep = maintenance.mediaRemove?.keepInteracted && line < '4.6' ? { ...maintenance, mediaRemove: { ...maintenance.mediaRemove, keepInteracted: false } } : maintenance;
      const instance: InstanceConfig = { ...base, mastodon: { ...base.mastodon, version: `v${line}.${patch}` }, maintenance: keep };
      for (const job of maintenanceModel(instance, DEFAULTS)) {
        const [tootctl, ...rest] = job.command;
        expect(tootctl).toBe('bin/tootctl');
        const command = COMMANDS.find((c) => TOOTCTL_COMMANDS[c].args.every((a, i) => rest[i] === a))!;
        const flags = rest.filter((a) => a.startsWith('--'));
        for (const flag of flags) expect({ line, flag, declared: UPSTREAM[line][command].includes(flag) }).toEqual({ line, flag, declared: true });
        // media.rb:41,43 (v4.6.0): not both profile modes; --include-follows only with one; --keep-interacted only narrows the attachment run (:67-70).
        const profile = flags.filter((f) => f === '--prune-profiles' || f === '--remove-headers');
        expect(profile.length).toBeLessThanOrEqual(1);
        if (flags.includes('--include-follows')) expect(profile).toHaveLength(1);
        if (flags.includes('--keep-interacted')) expect(profile).toHaveLength(0);
        // statuses.rb:15: VACUUM FULL / REINDEX lock the table; never on a schedule.
        expect(flags).not.toContain('--compress-database');
      }
    }));
  });
});
