import { compareRelease, Release } from './mastodon-releases';

/**
 * The `tootctl` maintenance commands the housekeeping CronJobs run, and the flags each accepts
 * from which release on. Read in glitch-soc/mastodon (upstream files, identical to mastodon/mastodon)
 * at v4.3.0, v4.4.0, v4.5.0, v4.6.0 and v4.6.5, `option …` lines of lib/mastodon/cli/*.rb. A flag a
 * version lacks never reaches a command line (what Thor 1.5.0 does with one is not relied on); a
 * refused combination makes the CLI exit 1 (`fail_with_message` raises Thor::Error and
 * `exit_on_failure?` is true: glitch-soc/mastodon@v4.6.5:lib/mastodon/cli/base.rb:15-23).
 */
export interface TootctlFlag {
  /** The flag as typed, e.g. `--keep-interacted`. */
  readonly flag: string;
  /** First release that accepts it; absent: every supported release (4.3 and later). */
  readonly since?: Release;
  /** Where it is declared. */
  readonly cite: string;
}

export interface TootctlCommandInfo {
  readonly args: readonly string[];
  readonly flags: readonly TootctlFlag[];
}

const MEDIA = 'glitch-soc/mastodon@v4.6.0:lib/mastodon/cli/media.rb';
const PREVIEW_CARDS = 'glitch-soc/mastodon@v4.6.0:lib/mastodon/cli/preview_cards.rb';
const ACCOUNTS = 'glitch-soc/mastodon@v4.6.0:lib/mastodon/cli/accounts.rb';
const STATUSES = 'glitch-soc/mastodon@v4.6.5:lib/mastodon/cli/statuses.rb';

export const TOOTCTL_COMMANDS = {
  mediaRemove: {
    args: ['media', 'remove'],
    flags: [
      { flag: '--days', cite: `${MEDIA}:13 (v4.3.0 :11)` },
      { flag: '--prune-profiles', cite: `${MEDIA}:14` },
      { flag: '--remove-headers', cite: `${MEDIA}:15` },
      { flag: '--include-follows', cite: `${MEDIA}:16` },
      { flag: '--concurrency', cite: `${MEDIA}:17` },
      // Absent at v4.5.0 (media.rb:13-19), declared at v4.6.0 :20 and used at :70 (without_local_interaction).
      { flag: '--keep-interacted', since: '4.6', cite: `${MEDIA}:20` },
    ],
  },
  mediaRemoveOrphans: {
    args: ['media', 'remove-orphans'],
    flags: [{ flag: '--prefix', cite: `${MEDIA}:91 (v4.5.0 :83)` }],
  },
  previewCardsRemove: {
    args: ['preview_cards', 'remove'],
    flags: [
      { flag: '--days', cite: `${PREVIEW_CARDS}:9` },
      { flag: '--concurrency', cite: `${PREVIEW_CARDS}:10` },
      { flag: '--link', cite: `${PREVIEW_CARDS}:13` },
    ],
  },
  accountsPrune: {
    args: ['accounts', 'prune'],
    flags: [{ flag: '--concurrency', cite: `${ACCOUNTS}:498` }],
  },
  // `--compress-database` (:15, VACUUM FULL and REINDEX "locks the table for a long time, so run it
  // offline") is left out on purpose: it is not for a schedule.
  statusesRemove: {
    args: ['statuses', 'remove'],
    flags: [
      { flag: '--days', cite: `${STATUSES}:9` },
      { flag: '--batch-size', cite: `${STATUSES}:10` },
      { flag: '--clean-followed', cite: `${STATUSES}:12` },
    ],
  },
  // The first owner (lib/constructs/mastodon/create-owner.ts); the username is its argument.
  accountsCreate: {
    args: ['accounts', 'create'],
    flags: [
      { flag: '--email', cite: `${ACCOUNTS}:43 (v4.3.0 :46)` },
      { flag: '--confirmed', cite: `${ACCOUNTS}:44` },
      { flag: '--role', cite: `${ACCOUNTS}:45` },
      { flag: '--approve', cite: `${ACCOUNTS}:48 (v4.3.0 :51)` },
    ],
  },
} as const satisfies Record<string, TootctlCommandInfo>;

export type TootctlCommand = keyof typeof TOOTCTL_COMMANDS;

/**
 * `media remove` refuses `--prune-profiles` with `--remove-headers`, and `--include-follows` without
 * one of them, before any work (glitch-soc/mastodon@v4.6.0:lib/mastodon/cli/media.rb:41,43; v4.3.0
 * :35,37): profile pruning and attachment removal are two different runs.
 */
export const PROFILE_MEDIA_MODES = ['prune-profiles', 'remove-headers'] as const;

/**
 * `preview_cards remove` has no guard against a small `--days`; its help advises at least 14, since
 * newer cards are likely still being shown (glitch-soc/mastodon@v4.6.5:lib/mastodon/cli/preview_cards.rb:15-24).
 */
export const PREVIEW_CARDS_MIN_DAYS = 14;

/**
 * Database connections of a `parallelize_with_progress` command: the pool is reset to
 * `concurrency + 1` (glitch-soc/mastodon@v4.6.5:lib/mastodon/cli/progress_helper.rb:27-30, base.rb:37-44).
 */
export const PARALLEL_EXTRA_CONNECTIONS = 1;

/**
 * `statuses remove` changes the schema while it runs: it creates work tables and indexes
 * (glitch-soc/mastodon@v4.6.5:lib/mastodon/cli/statuses.rb:50 `create_table('statuses_to_be_deleted',
 * force: true)`, :134 `add_index … algorithm: :concurrently`), which a transaction-mode pool cannot
 * serve: it runs on the direct connection, like the migrations.
 */
export const DIRECT_CONNECTION_COMMANDS: readonly TootctlCommand[] = ['statusesRemove'];

/** Whether `version` accepts `flag` of `command`. */
export function tootctlAccepts(version: string, command: TootctlCommand, flag: string): boolean {
  const info: TootctlCommandInfo = TOOTCTL_COMMANDS[command];
  const known = info.flags.find((f) => f.flag === flag);
  return known !== undefined && (known.since === undefined || compareRelease(version, known.since) >= 0);
}

/** One flag with its value (`--days 7`) or alone (`--link`). */
export type TootctlOption = readonly [flag: string, value?: string | number];

/**
 * The command line of `bin/tootctl <command> <options>` for `version`. Throws on a flag the version
 * does not accept: the config checks refuse such input first, so this is a bug guard.
 */
export function tootctlCommand(version: string, command: TootctlCommand, options: readonly TootctlOption[]): string[] {
  const line = ['bin/tootctl', ...TOOTCTL_COMMANDS[command].args];
  for (const [flag, value] of options) {
    if (!tootctlAccepts(version, command, flag)) throw new Error(`tootctl ${TOOTCTL_COMMANDS[command].args.join(' ')} in Mastodon ${version} has no ${flag}`);
    line.push(flag, ...(value === undefined ? [] : [String(value)]));
  }
  return line;
}

/**
 * The role `accounts create --role` gives the first account: seeded from config/roles.yml
 * (glitch-soc/mastodon@v4.6.5:config/roles.yml:34, v4.3.0 :32); an unknown name makes tootctl exit 1
 * before anything is created (v4.6.5 lib/mastodon/cli/accounts.rb:70-73).
 */
export const OWNER_ROLE = 'Owner';

/**
 * `accounts create` generates the password (`SecureRandom.hex`) and prints it on this line, after
 * `OK` (glitch-soc/mastodon@v4.6.5:lib/mastodon/cli/accounts.rb:80,113-114; v4.3.0 :83,109-110).
 * An existing username or e-mail fails the save: `report_errors` raises Thor::Error, exit 1 (:116,
 * :601-609), so a second run creates nothing. Without `--approve` the user stays unapproved when
 * registrations are not open (default `registrations_mode: 'none'`, v4.6.5 config/settings.yml:12;
 * app/models/user.rb:417-424) and cannot log in (`functional?` needs `approved?`, user.rb:225-231).
 */
export const NEW_PASSWORD_LINE = 'New password: ';
