import * as path from 'node:path';
import { entryExists, listFolder, requireFolder, statInput } from '../core/read';
import { DEFAULTS_FOLDER, overDefaults, SharedDefaults } from './shared-defaults';
import { CLUSTERS_FOLDER } from './clusters';
import { ConfigError, ConfigProblem } from '../core/errors';
import { checkSchema } from './schema-check';
import { ConfigSource, YamlSource } from '../core/source';
import { InstanceConfig, LoadedInstance, QueuePlan } from './types';

/** An instance's files, read and past their schemas: a LoadedInstance before its rule checks. */
export type ConfigFiles = Omit<LoadedInstance, 'warnings'>;

/** What is checked besides the schemas, in order (lib/app/load.ts passes lib/checks'). */
export interface InputChecks {
  /** Every file's raw text, before any schema: a pasted credential is refused wherever it is. */
  readonly raw: (source: ConfigSource) => ConfigProblem[];
  /** Across the fields of instance.yaml once it has passed its schema, reported with the schema errors. */
  readonly shape: (sources: LoadedInstance['sources'], instance: InstanceConfig) => ConfigProblem[];
}

const NO_CHECKS: InputChecks = { raw: () => [], shape: () => [] };

export const INSTANCE_FILE = 'instance.yaml';
export const QUEUE_PLAN_FILE = 'queue-plan.yaml';

/** An instance id is its folder name; it names `dist/<id>/` and the `app.kubernetes.io/instance` label. */
const INSTANCE_ID = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Reads and validates one `config/<instance>/` folder: `instance.yaml` (over the shared
 * `config/defaults/instance.yaml`) and `queue-plan.yaml` (or the shared one); pass one
 * SharedDefaults to all the instances of a run so that the shared files are parsed once.
 * Validates them against their schemas, with `checks` run where they belong so that one run
 * reports every problem. Throws a ConfigError naming file:line:col for anything wrong. The rules
 * on valid files run after (lib/app/load.ts).
 */
export function loadConfig(dir: string, defaults: SharedDefaults = new SharedDefaults(), checks: InputChecks = NO_CHECKS): ConfigFiles {
  requireFolder(dir, path.relative(process.cwd(), dir) || '.', `an instance folder holding ${INSTANCE_FILE} and ${QUEUE_PLAN_FILE}`);
  const id = path.basename(path.resolve(dir));
  const display = (file: string) => path.relative(process.cwd(), path.join(dir, file)) || file;
  if (!INSTANCE_ID.test(id) || id === DEFAULTS_FOLDER || id === CLUSTERS_FOLDER) {
    throw new ConfigError([{ file: display(INSTANCE_FILE), line: 1, col: 1, path: '', message: `instance folder name ${JSON.stringify(id)} is not allowed; allowed: a DNS label (lowercase letters, digits and '-', at most 63 characters) other than "${DEFAULTS_FOLDER}" and "${CLUSTERS_FOLDER}"` }]);
  }
  const shared = (file: string) => defaults.read(dir, file);
  const ownQueuePlan = readIfExists(path.join(dir, QUEUE_PLAN_FILE), display(QUEUE_PLAN_FILE));
  const sources = {
    instance: overDefaults(readSource(dir, INSTANCE_FILE, display), shared(INSTANCE_FILE)),
    // With neither its own nor a shared one, readSource reports the missing file.
    queuePlan: ownQueuePlan ?? shared(QUEUE_PLAN_FILE) ?? readSource(dir, QUEUE_PLAN_FILE, display),
  };
  // Credentials first: a pasted token is refused wherever it is, and no message repeats it.
  const problems: ConfigProblem[] = [...checks.raw(sources.instance), ...checks.raw(sources.queuePlan)];
  let instance: InstanceConfig | undefined;
  let queuePlan: QueuePlan | undefined;
  // Check both files before failing, so one run reports everything.
  try { instance = checkSchema<InstanceConfig>(sources.instance, 'instance'); } catch (e) { problems.push(...collect(e)); }
  // Checks across fields, once the shape is right.
  if (instance) problems.push(...checks.shape(sources, instance));
  try { queuePlan = checkSchema<QueuePlan>(sources.queuePlan, 'queuePlan'); } catch (e) { problems.push(...collect(e)); }
  if (problems.length > 0 || !instance || !queuePlan) throw new ConfigError(problems);
  return { id, dir, instance, queuePlan, sources };
}

/**
 * Finds the instance folders under a config root, in a stable (sorted) order: every direct child
 * folder (or link to one) that holds an instance.yaml or a queue-plan.yaml of any kind, except the
 * shared defaults and the cluster files. A file that cannot be read is read anyway, to fail with its name: an instance
 * must never vanish from the render (and Argo CD prune it) because its file is a dangling link.
 * A child that is a link leading nowhere is an error for the same reason; plain files (a README)
 * and hidden entries are not instances.
 */
export function findInstanceDirs(configRoot: string): string[] {
  if (!entryExists(configRoot)) return [];
  requireFolder(configRoot, configRoot, `a folder of instance folders, ${configRoot}/<instance>/${INSTANCE_FILE}`);
  return listFolder(configRoot)
    .filter((name) => name !== DEFAULTS_FOLDER && name !== CLUSTERS_FOLDER && !name.startsWith('.'))
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
