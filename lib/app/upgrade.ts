import * as path from 'node:path';
import { parse } from 'yaml';
import { RULE_CHECKS, SHAPE_CHECKS } from '../checks';
import {
  AppSecretInfo, appSecretsOf, compareLines, NEWEST_RELEASE, OLDEST_RELEASE, parseVersion, QueueInfo, queuesOf, ReleaseLine, RELEASES,
} from '../catalog/mastodon-releases';
import { MASTODON_IMAGE, STREAMING_IMAGE } from '../catalog/mastodon-images';
import { INSTANCE_FILE } from '../config/load';
import { defaultsPath } from '../config/shared-defaults';
import { InstanceConfig, LoadedInstance } from '../config/types';
import { ConfigProblem, formatProblem } from '../core/errors';
import { readInputFile, entryExists } from '../core/read';
import { replaceScalar, YamlEditError } from '../core/yaml-edit';
import { DEFAULTS, Defaults } from '../model/defaults';
import { appSecretName } from './generate-secrets';

/** Where `mastodon.version` is in instance.yaml. */
export const VERSION_PATH = ['mastodon', 'version'] as const;

const RELEASE_NOTES = 'https://github.com/mastodon/mastodon/releases';
const TAG = /^v\d+\.\d+\.\d+$/;

/**
 * Why `tag` cannot be an upgrade target for any instance, or undefined: the form the instance
 * schema allows, and a release line the catalog (lib/catalog/mastodon-releases.ts) knows, since
 * its queues, secrets and removed settings are what the upgrade is checked against.
 */
export function targetProblem(tag: string): string | undefined {
  if (!TAG.test(tag)) return `${JSON.stringify(tag)} is not a Mastodon release tag; allowed: vMAJOR.MINOR.PATCH, e.g. v${NEWEST_RELEASE.line}.0`;
  const { line } = parseVersion(tag);
  const known = `${OLDEST_RELEASE.line}–${NEWEST_RELEASE.line}`;
  if (compareLines(line, OLDEST_RELEASE.line) < 0) return `Mastodon ${line} is older than the oldest release line mastodon-cdk8s supports (${known})`;
  if (compareLines(line, NEWEST_RELEASE.line) > 0) {
    return `this mastodon-cdk8s knows Mastodon ${known}, not ${line}: its queues, secrets and removed settings are unknown here; `
      + 'update mastodon-cdk8s (or add the release line to lib/catalog/mastodon-releases.ts from its release notes) first';
  }
  return undefined;
}

/** An upgrade of one instance, worked out before anything is written. */
export interface InstanceUpgrade {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** The file that sets `mastodon.version`: the instance's own instance.yaml or the shared defaults'. */
  readonly file: string;
  /** Whether `file` is the shared `config/defaults/instance.yaml`. */
  readonly shared: boolean;
  /** That file's text with the new version, when the upgrade can be written. */
  readonly text?: string;
  /** What the new version changes in the rendered output. */
  readonly changes: readonly string[];
  /** What the operator must do, in order. */
  readonly actions: readonly string[];
  /** Why the upgrade is refused: nothing is written while there is one. */
  readonly errors: readonly ConfigProblem[];
  /** What the new version warns about that the current one does not. */
  readonly warnings: readonly ConfigProblem[];
}

/** Release lines after `from`'s up to and including `to`'s. */
function linesCrossed(from: string, to: string): ReleaseLine[] {
  const a = parseVersion(from).line;
  const b = parseVersion(to).line;
  return RELEASES.map((r) => r.line).filter((l) => compareLines(l, a) > 0 && compareLines(l, b) <= 0);
}

function orderOf(from: string, to: string): number {
  const a = parseVersion(from);
  const b = parseVersion(to);
  return b.major - a.major || b.minor - a.minor || b.patch - a.patch;
}

const names = <T extends { name: string }>(items: readonly T[]) => new Set(items.map((i) => i.name));
const added = <T extends { name: string }>(before: readonly T[], after: readonly T[]) => after.filter((i) => !names(before).has(i.name));

/** The pools of a queue plan that consume `queue`. */
function poolsOf(loaded: LoadedInstance, queue: string): string[] {
  return Object.entries(loaded.queuePlan.pools)
    .filter(([, pool]) => (Array.isArray(pool.queues) ? pool.queues.includes(queue) : Object.keys(pool.queues).includes(queue)))
    .map(([name]) => name);
}

function queueChanges(loaded: LoadedInstance, from: string, to: string): string[] {
  const before = queuesOf(from);
  const after = queuesOf(to);
  const since = (q: QueueInfo) => (q.since ? ` in ${q.since}` : '');
  return [
    ...added(before, after).map((q) => {
      const pools = poolsOf(loaded, q.name);
      return `new Sidekiq queue "${q.name}"${since(q)} (${q.purpose}): ${pools.length > 0 ? `consumed by pool ${pools.map((p) => `"${p}"`).join(', ')}` : 'no pool consumes it yet; add it to a pool\'s queues in queue-plan.yaml'}`;
    }),
    ...added(after, before).map((q) => `Sidekiq queue "${q.name}" is gone${q.until ? ` in ${q.until}` : ''}: remove it from queue-plan.yaml once its jobs have run`),
  ];
}

function secretActions(loaded: LoadedInstance, from: string, to: string): { before: string[]; after: string[] } {
  const secret = `Secret ${appSecretName(loaded)} (namespace ${loaded.instance.namespace})`;
  const generate = (s: AppSecretInfo) => `docker run --rm ${MASTODON_IMAGE}:${to} ${s.generate}`;
  return {
    before: added(appSecretsOf(from), appSecretsOf(to)).map((s) => `before merging, add the key ${s.name} to ${secret}; generate its value with \`${generate(s)}\` (dist/${loaded.id}/SECRETS.md lists every key after synth)`),
    after: added(appSecretsOf(to), appSecretsOf(from)).map((s) => `after the upgrade has synced, remove the key ${s.name} from ${secret}: Mastodon ${parseVersion(to).line} no longer reads it`),
  };
}

/** Every check synth runs on input, on the instance as it would be at `to`. */
function findingsAt(loaded: LoadedInstance, to: string, defaults: Defaults) {
  const instance: InstanceConfig = { ...loaded.instance, mastodon: { ...loaded.instance.mastodon, version: to } };
  const subject = { sources: loaded.sources, instance, queuePlan: loaded.queuePlan, defaults };
  return [...SHAPE_CHECKS, ...RULE_CHECKS].flatMap((check) => check(subject));
}

/** The file that sets the instance's `mastodon.version`, its text, and whether it is the shared one. */
function versionSource(loaded: LoadedInstance): { file: string; text: string; shared: boolean } {
  const display = (file: string) => path.relative(process.cwd(), file) || file;
  const own = path.join(loaded.dir, INSTANCE_FILE);
  const ownText = readInputFile(own, display(own));
  if (setsVersion(ownText)) return { file: display(own), text: ownText, shared: false };
  const shared = defaultsPath(loaded.dir, INSTANCE_FILE);
  return { file: display(shared), text: readInputFile(shared, display(shared)), shared: true };
}

/** Whether an instance.yaml text sets `mastodon.version` itself. */
export function setsVersion(text: string): boolean {
  const data = parse(text, { version: '1.2' }) as { mastodon?: { version?: unknown } } | null;
  return typeof data?.mastodon?.version === 'string';
}

/**
 * Works out the upgrade of a loaded (and checked) instance to `to`, a target that passed
 * targetProblem: what changes, what the operator must do, and the new text of the file that sets
 * the version. Refuses a downgrade (Mastodon's migrations only go forward) and a target at which
 * synth would fail (a new queue no pool consumes, a setting the release removed…), so a refused
 * upgrade is one that would not have rendered.
 */
export function planUpgrade(loaded: LoadedInstance, to: string, defaults: Defaults = DEFAULTS): InstanceUpgrade {
  const from = loaded.instance.mastodon.version;
  const { file, text, shared } = versionSource(loaded);
  const at = (message: string) => loaded.sources.instance.problem([...VERSION_PATH], message);
  const base = { id: loaded.id, from, to, file, shared };
  const order = orderOf(from, to);
  if (order < 0) {
    return {
      ...base, changes: [], actions: [], warnings: [],
      errors: [at(`${to} is older than the current ${from}: Mastodon's database migrations only go forward, so a downgrade is refused; to go back, restore the database backup taken before the upgrade (README: Restore)`)],
    };
  }
  if (order === 0) return { ...base, changes: [], actions: [], errors: [], warnings: [] };

  const findings = findingsAt(loaded, to, defaults);
  const known = new Set(loaded.warnings.map(formatProblem));
  const errors = findings.filter((f) => f.severity === 'error').map((f) => f.problem);
  const warnings = findings.filter((f) => f.severity === 'warning' && !known.has(formatProblem(f.problem))).map((f) => f.problem);
  const crossed = linesCrossed(from, to);
  if (crossed.length > 1) {
    warnings.push(at(`${from} → ${to} crosses ${crossed.length} release lines (${crossed.join(', ')}); Mastodon's upgrade notes are written per release: read each, or upgrade one line at a time`));
  }

  const secrets = secretActions(loaded, from, to);
  const changes = [
    `images ${MASTODON_IMAGE} and ${STREAMING_IMAGE}: ${from} → ${to} (web, streaming, Sidekiq and every Job)`,
    'Argo CD runs the database migrations: the pre-deployment ones (PreSync hook) before the new pods start, the post-deployment ones (PostSync hook) once they are healthy (README: Database migrations)',
    ...queueChanges(loaded, from, to),
  ];
  const actions = [
    `read the release notes of every release after ${from} up to ${to} (${RELEASE_NOTES}), above all their upgrade notes`,
    ...secrets.before,
    'run `npm run synth`, review `npx mastodon-cdk8s diff`, and open a pull request; merging it starts the upgrade',
    ...secrets.after,
    'if the release notes ask for `tootctl search deploy`, bump search.deploy.reindex in a pull request of its own once the upgrade has synced',
  ];

  let edited: string | undefined;
  if (errors.length === 0) {
    try {
      edited = replaceScalar(text, [...VERSION_PATH], to);
    } catch (e) {
      if (!(e instanceof YamlEditError)) throw e;
      errors.push(at(`cannot be rewritten in place (${e.message}); change it by hand`));
    }
  }
  return { ...base, text: edited, changes, actions, errors, warnings };
}

/**
 * The instances, besides those being upgraded, that take their version from the shared defaults
 * file: writing that file upgrades them too.
 */
export function sharedVersionBystanders(instanceDirs: readonly string[], upgrading: readonly string[]): string[] {
  return instanceDirs
    .filter((dir) => !upgrading.includes(path.basename(dir)))
    .filter((dir) => {
      const own = path.join(dir, INSTANCE_FILE);
      return !entryExists(own) || !setsVersion(readInputFile(own, path.relative(process.cwd(), own)));
    })
    .map((dir) => path.basename(dir));
}
