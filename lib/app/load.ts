import { RULE_CHECKS, SHAPE_CHECKS } from '../checks';
import { credentialProblems } from '../checks/credentials';
import { loadConfig } from '../config/load';
import { SharedDefaults } from '../config/shared-defaults';
import { ClusterFiles } from '../config/clusters';
import { LoadedInstance } from '../config/types';
import { failOnErrors } from '../core/finding';
import { DEFAULTS, Defaults } from '../model/defaults';

/**
 * Loads one `config/<instance>/` folder and checks it: credentials in the raw files, the schemas,
 * the shape checks (lib/checks/index.ts) with the schema errors, then the rule checks. Throws a
 * ConfigError naming file:line:col for anything wrong; warnings come back with the instance. The
 * connection budget is checked when rendering (lib/checks/connection-budget.ts reads the model).
 * The cluster file its `argocd.cluster` names comes with it when there is one (config/clusters/).
 */
export function loadInstance(dir: string, defaults: SharedDefaults = new SharedDefaults(), modelDefaults: Defaults = DEFAULTS, clusters: ClusterFiles = new ClusterFiles()): LoadedInstance {
  const files = loadConfig(dir, defaults, {
    raw: credentialProblems,
    // Shape checks report errors only.
    shape: (sources, instance) => SHAPE_CHECKS.flatMap((check) => check({ sources, instance, defaults: modelDefaults })).map((f) => f.problem),
  });
  const warnings = failOnErrors(RULE_CHECKS.flatMap((check) => check({ ...files, defaults: modelDefaults })));
  const selected = files.instance.argocd.cluster;
  const cluster = selected === undefined ? undefined : clusters.find(dir, selected);
  return { ...files, warnings, ...(cluster ? { cluster } : {}) };
}
