import * as path from 'node:path';
import { availabilityProblems } from '../checks/replicas';
import { entryExists, listFolder, requireFolder, statInput } from '../core/read';
import { networkPolicyProblems } from '../checks/network-policy';
import { checkSidekiqAutoscaling } from '../checks/sidekiq-autoscaling';
import { checkDatabase } from '../checks/database';
import { DEFAULTS_FOLDER, overDefaults, SharedDefaults } from './shared-defaults';
import { checkDatabaseTls } from '../checks/database-tls';
import { checkEdge } from '../checks/edge';
import { ConfigError, ConfigProblem } from '../core/errors';
import { failOnErrors } from '../core/finding';
import { checkQueuePlan } from '../checks/queue-plan';
import { checkRedis } from '../checks/redis';
import { checkSchema } from './schema-check';
import { credentialProblems } from '../checks/credentials';
import { YamlSource } from '../core/source';
import { InstanceConfig, LoadedInstance, QueuePlan } from './types';
import { checkVersion } from '../checks/version';

export const INSTANCE_FILE = 'instance.yaml';
export const QUEUE_PLAN_FILE = 'queue-plan.yaml';

/** An instance id is its folder name; it names `dist/<id>/` and the `app.kubernetes.io/instance` label. */
const INSTANCE_ID = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Loads and validates one `config/<instance>/` folder: `instance.yaml` (over the shared
 * `config/defaults/instance.yaml`) and `queue-plan.yaml` (or the shared one); pass one
 * SharedDefaults to all the instances of a run so that the shared files are parsed once.
 * Validates them against their schemas and then the semantic checks (Redis, edge, availability,
 * network policy, Mastodon version, queue plan). Throws a ConfigError naming file:line:col for
 * anything wrong; warnings come back with the instance. The connection budget is checked when
 * rendering (lib/checks/connection-budget.ts).
 */
export function loadInstance(dir: string, defaults: SharedDefaults = new SharedDefaults()): LoadedInstance {
  requireFolder(dir, path.relative(process.cwd(), dir) || '.', `an instance folder holding ${INSTANCE_FILE} and ${QUEUE_PLAN_FILE}`);
  const id = path.basename(path.resolve(dir));
  const display = (file: string) => path.relative(process.cwd(), path.join(dir, file)) || file;
  if (!INSTANCE_ID.test(id) || id === DEFAULTS_FOLDER) {
    throw new ConfigError([{ file: display(INSTANCE_FILE), line: 1, col: 1, path: '', message: `instance folder name ${JSON.stringify(id)} is not allowed; allowed: a DNS label (lowercase letters, digits and '-', at most 63 characters) other than "${DEFAULTS_FOLDER}"` }]);
  }
  const shared = (file: string) => defaults.read(dir, file);
  const ownQueuePlan = readIfExists(path.join(dir, QUEUE_PLAN_FILE), display(QUEUE_PLAN_FILE));
  const sources = {
    instance: overDefaults(readSource(dir, INSTANCE_FILE, display), shared(INSTANCE_FILE)),
    // With neither its own nor a shared one, readSource reports the missing file.
    queuePlan: ownQueuePlan ?? shared(QUEUE_PLAN_FILE) ?? readSource(dir, QUEUE_PLAN_FILE, display),
  };
  // Credentials first: a pasted token is refused wherever it is, and no message repeats it.
  const problems: ConfigProblem[] = [...credentialProblems(sources.instance), ...credentialProblems(sources.queuePlan)];
  let instance: InstanceConfig | undefined;
  let queuePlan: QueuePlan | undefined;
  // Check both files before failing, so one run reports everything.
  try { instance = checkSchema<InstanceConfig>(sources.instance, 'instance'); } catch (e) { problems.push(...collect(e)); }
  // Checks across fields, once the shape is right.
  if (instance) {
    problems.push(
      ...checkRedis(sources.instance, instance),
      ...checkDatabaseTls(sources.instance, instance),
      ...checkDatabase(sources.instance, instance),
      ...checkEdge(sources.instance, instance),
      ...availabilityProblems(instance, sources.instance),
      ...networkPolicyProblems(instance, sources.instance),
    );
  }
  try { queuePlan = checkSchema<QueuePlan>(sources.queuePlan, 'queuePlan'); } catch (e) { problems.push(...collect(e)); }
  if (problems.length > 0 || !instance || !queuePlan) throw new ConfigError(problems);
  const warnings = failOnErrors([
    ...checkVersion(instance, sources.instance),
    ...checkQueuePlan(queuePlan, instance.mastodon.version, sources.queuePlan),
    ...checkSidekiqAutoscaling(queuePlan, sources.queuePlan),
  ]);
  return { id, dir, instance, queuePlan, sources, warnings };
}

/**
 * Finds the instance folders under a config root, in a stable (sorted) order: every direct child
 * folder (or link to one) that holds an instance.yaml or a queue-plan.yaml of any kind, except the
 * shared defaults. A file that cannot be read is read anyway, to fail with its name: an instance
 * must never vanish from the render (and Argo CD prune it) because its file is a dangling link.
 * A child that is a link leading nowhere is an error for the same reason; plain files (a README)
 * and hidden entries are not instances.
 */
export function findInstanceDirs(configRoot: string): string[] {
  if (!entryExists(configRoot)) return [];
  requireFolder(configRoot, configRoot, `a folder of instance folders, ${configRoot}/<instance>/${INSTANCE_FILE}`);
  return listFolder(configRoot)
    .filter((name) => name !== DEFAULTS_FOLDER && !name.startsWith('.'))
    .map((name) => path.join(configRoot, name))
    .filter((dir) => statInput(dir).isDirectory() && [INSTANCE_FILE, QUEUE_PLAN_FILE].some((f) => entryExists(path.join(dir, f))));
}

function readSource(dir: string, file: string, display: (f: string) => string): YamlSource {
  const full = path.join(dir, file);
  if (!entryExists(full, display(file))) {
    throw new ConfigError([{ file: display(file), line: 1, col: 1, path: '', message: `file not found; every instance folder needs ${INSTANCE_FILE} and ${QUEUE_PLAN_FILE} (or a shared ${DEFAULTS_FOLDER}/${QUEUE_PLAN_FILE} beside it)` }]);
  }
  return YamlSource.read(full, display(file));
}

/** The file when anything is there (a dangling link too, which then fails with its name). */
function readIfExists(full: string, display: string): YamlSource | undefined {
  return entryExists(full, display) ? YamlSource.read(full, display) : undefined;
}

function collect(e: unknown) {
  if (e instanceof ConfigError) return e.problems;
  throw e;
}
