import { RULE_CHECKS, SHAPE_CHECKS } from '../checks';
import { credentialProblems } from '../checks/credentials';
import { loadConfig } from '../config/load';
import { SharedDefaults } from '../config/shared-defaults';
import { LoadedInstance } from '../config/types';
import { failOnErrors } from '../core/finding';
import { DEFAULTS, Defaults } from '../model/defaults';

/**
 * Loads one `config/<instance>/` folder and checks it: credentials in the raw files, the schemas,
 * the shape checks (lib/checks/index.ts) with the schema errors, then the rule checks. Throws a
 * ConfigError naming file:line:col for anything wrong; warnings come back with the instance. The
 * connection budget is checked when rendering (lib/checks/connection-budget.ts reads the model).
 */
export function loadInstance(dir: string, defaults: SharedDefaults = new SharedDefaults(), modelDefaults: Defaults = DEFAULTS): LoadedInstance {
  const files = loadConfig(dir, defaults, {
    raw: credentialProblems,
    // Shape checks report errors only.
    shape: (sources, instance) => SHAPE_CHECKS.flatMap((check) => check({ sources, instance, defaults: modelDefaults })).map((f) => f.problem),
  });
  const warnings = failOnErrors(RULE_CHECKS.flatMap((check) => check({ ...files, defaults: modelDefaults })));
  return { ...files, warnings };
}
