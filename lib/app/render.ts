import { App } from 'cdk8s';
import { chartObjects, identitiesOf } from './chart-objects';
import { RenderedTree } from '../core/tree';
import { buildInstance } from './build-instance';
import { checkConnectionBudget } from '../checks/connection-budget';
import { collectProblems, ConfigError, ConfigProblem } from '../core/errors';
import { failOnErrors } from '../core/finding';
import { LoadedCluster, LoadedInstance } from '../config/types';
import { buildModel } from '../model/build';
import { InstanceModel } from '../model/types';
import { DEFAULTS, Defaults } from '../model/defaults';
import { KubeObject, RenderedObject, ValidationError } from '../validate/object-problem';
import { ResolvedSecrets } from '../model/secrets';
import { noDuplicates } from '../validate/semantic';
import { checkRendered } from '../validate/validate';
import { yamlFile } from '../render/canonical';
import { extraEnvCollisions } from './extra-env-check';
import { sealedDeliveryFindings, sealedInputs } from './sealed-delivery';
import { secretsDoc } from './secrets-doc';
import { INSTANCE_MARKER } from '../render/write';
import { HEALTH_CHECKS_PATCH_FILE } from '../catalog/argocd-health-checks';
import { sharingProblems } from '../checks/sharing';
import { unproducedReferences } from '../checks/secret-references';
import { formatPath, YamlSource } from '../core/source';
import { clusterSelectionProblems, operatorApplicationClashes } from '../checks/clusters';
import { clusterModel } from '../model/cluster';
import { renderClusters } from './render-clusters';
import { renderApplicationSets } from './render-application-sets';
import { applicationSetModels } from '../model/application-set';
import { applicationSetProblems } from '../checks/application-set';

export type { RenderedTree };

export interface RenderResult {
  readonly files: RenderedTree;
  /**
   * Who each rendered object is (apiVersion, kind, namespace, name) and its file: enough to find
   * objects that several instances render, without keeping every instance's objects alive.
   */
  readonly identities: readonly RenderedObject[];
  /** Problems that do not stop the render (printed as warnings). */
  readonly warnings: readonly ConfigProblem[];
}

/**
 * Instances rendered on this thread so far. Only for bin/mastodon-cdk8s.js: V8's code cache of the
 * bundle holds what a run compiled, so a cache made by a run that rendered nothing (every instance
 * from the render cache) would leave each later render compiling its functions again.
 */
let renderedOnThisThread = 0;

export function instancesRenderedOnThisThread(): number {
  return renderedOnThisThread;
}

/**
 * Renders one instance to `<instance>/<chart>/<Kind>.<name>.yaml` files, plus `<instance>/SECRETS.md`
 * listing the Secrets the cluster must hold. Pure: nothing is written. The rendered objects must
 * pass the semantic and policy checks of lib/validate, or a ValidationError names each problem.
 */
export function renderInstance(loaded: LoadedInstance, defaults: Defaults = DEFAULTS): RenderResult {
  renderedOnThisThread += 1;
  const model = buildModel(loaded, defaults);
  const budgetWarnings = failOnErrors(checkConnectionBudget(loaded, model));
  const app = new App();
  const sealed = sealedInputs(loaded, model);
  const charts = buildInstance(app, model, { sealed });
  const deliveryWarnings = failOnErrors(sealedDeliveryFindings(loaded, charts.secrets, sealed));

  const files: RenderedTree = new Map();
  const objects: RenderedObject[] = [];
  for (const chart of charts.all) {
    for (const object of chartObjects(chart)) {
      const file = `${loaded.id}/${chart.node.id}/${object.kind}.${object.metadata.name}.yaml`;
      // Names come from config (the instance id prefixes Argo CD's child Applications): an id such as
      // `external` names its secrets Application `external-secrets`, like the operator's.
      if (files.has(file)) {
        throw new ConfigError([{ file: loaded.dir, line: 1, col: 1, path: '', message: `the instance id "${loaded.id}" makes two ${object.kind}s named ${object.metadata.name} in ${loaded.id}/${chart.node.id}/; allowed: another name for the instance folder (config/<instance>/), one that names no operator Application with a chart's suffix` }]);
      }
      files.set(file, yamlFile(object));
      objects.push({ file, object });
    }
  }
  const collisions = extraEnvCollisions(loaded, objects);
  if (collisions.length > 0) throw new ConfigError(collisions);
  const problems = checkRendered(objects);
  if (problems.length > 0) throw new ValidationError(problems);
  // Under sealed-secrets, a missing SealedSecret has already stopped the render above with the
  // seal command and the bootstrap (sealedDeliveryFindings); what is left unproduced is an error
  // under every delivery.
  const unproduced = unproducedSecretReferences(charts.secrets, model.namespace, objects, files);
  if (unproduced.length > 0) {
    throw new ValidationError(unproduced.map((u) => ({ file: `${u.file}:${u.line}:${u.col}`, kind: u.kind, name: u.name, path: u.path, message: u.message })));
  }
  files.set(`${loaded.id}/${INSTANCE_MARKER}`, secretsDoc(loaded, charts.secrets));
  files.set(`${loaded.id}/${HEALTH_CHECKS_PATCH_FILE}`, charts.bootstrap.healthChecksPatch);
  const identities = identitiesOf(objects);
  return { files, identities, warnings: [...loaded.warnings, ...budgetWarnings, ...deliveryWarnings] };
}

/** A reference to a Secret key nothing produces, at its place in the rendered file. */
export interface LocatedReference {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly kind: string;
  readonly name: string;
  readonly path: string;
  readonly message: string;
}

/**
 * Every Secret key a workload reads is produced by the delivery, or declared external
 * (lib/checks/secret-references.ts); each reference that is not is named at its line:col in the
 * rendered file.
 */
export function unproducedSecretReferences(secrets: ResolvedSecrets, namespace: string, objects: readonly RenderedObject[], files: RenderedTree): LocatedReference[] {
  return unproducedReferences(secrets, namespace, objects).map((u) => {
    const { line, col } = YamlSource.parse(files.get(u.at.file)!, u.at.file).problem(u.path, u.message);
    return { file: u.at.file, line, col, kind: u.at.object.kind, name: u.at.object.metadata.name, path: formatPath(u.path), message: u.message };
  });
}

/**
 * Renders several instances into one tree, the cluster files (config/clusters/) into `clusters/`,
 * and the ApplicationSets of the instances with `argocd.applicationSet` into `_argocd/`. Each
 * instance renders on its own (through `renderOne`, e.g. a RenderCache's, which gives the same
 * result); the problems of all of them are reported together, after what they must not share and
 * what their clusters must declare. The checks across instances always run over all of them.
 */
export function renderAll(instances: readonly LoadedInstance[], clusters: readonly LoadedCluster[] = [], renderOne: (loaded: LoadedInstance) => RenderResult = (loaded) => renderInstance(loaded)): RenderResult {
  const clashes = [...sharingProblems(instances), ...clusterSelectionProblems(instances, clusters), ...operatorApplicationClashes(instances, clusters), ...applicationSetProblems(instances)];
  if (clashes.length > 0) throw new ConfigError(clashes);
  const results = collectProblems(instances, renderOne);
  const platform = renderClusters(clusters.map((cluster) => clusterModel(cluster)));
  const sets = renderApplicationSets(applicationSetModels(instances));
  const identities = [...results.flatMap((r) => r.identities), ...platform.identities, ...sets.identities];
  // Instances share cluster-wide names (Argo CD Applications of the operators, ClusterIssuers…):
  // two instances installing the same operator into one cluster must not both render it.
  const duplicates = noDuplicates(identities);
  if (duplicates.length > 0) throw new ValidationError(duplicates);
  return {
    files: new Map([...results.flatMap((r) => [...r.files]), ...platform.files, ...sets.files]),
    identities,
    warnings: results.flatMap((r) => r.warnings),
  };
}

/**
 * The objects an instance's charts render, unchecked: `plan` reads the pods they run even when the
 * connection budget or a check would stop synth.
 */
export function instanceObjects(model: InstanceModel): KubeObject[] {
  return buildInstance(new App(), model).all.flatMap(chartObjects);
}
