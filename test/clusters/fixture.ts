import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadInstance } from '../../lib/app/load';
import { renderAll, renderInstance, RenderResult } from '../../lib/app/render';
import { configMayClash, instanceFacts, objectsMayClash, renderFacts } from '../../lib/app/cross-instance';
import { rethrow } from '../../lib/app/failure';
import { Outcome, renderOutcome } from '../../lib/app/render-pool';
import { renderApplicationSets } from '../../lib/app/render-application-sets';
import { renderClusters } from '../../lib/app/render-clusters';
import { applicationSetProblems } from '../../lib/checks/application-set';
import { clusterSelectionProblems, operatorApplicationClashes } from '../../lib/checks/clusters';
import { sharingProblems } from '../../lib/checks/sharing';
import { LoadedCluster, LoadedInstance } from '../../lib/config/types';
import { applicationSetModels } from '../../lib/model/application-set';
import { clusterModel } from '../../lib/model/cluster';
import { noDuplicates } from '../../lib/validate/semantic';
import { ClusterFiles } from '../../lib/config/clusters';
import { findInstanceDirs } from '../../lib/config/load';
import { SharedDefaults } from '../../lib/config/shared-defaults';
import { errorOf, EXAMPLE_DIR, replaceOnce, tempDir } from '../helpers';

/** A cluster file in the Argo CD of the example (in-cluster unless `server` is given). */
export function clusterFile(operators: string, server?: string): string {
  return [
    'argocd:',
    '  repoURL: https://github.com/example/mastodon-gitops.git',
    '  targetRevision: main',
    ...(server ? [`server: ${server}`] : []),
    'operators:',
    operators,
    '',
  ].join('\n');
}

/** The operators the example needs, as a cluster file lists them. */
export const EXAMPLE_OPERATORS = '  cert-manager: {}\n  dragonfly-operator: {}\n  ingress-nginx: {}';

/** The example's instance.yaml as instance `id`: a namespace and search prefix of its own, then `edit`. */
export function exampleAs(id: string, edit: (text: string) => string = (t) => t): string {
  const text = fs.readFileSync(path.join(EXAMPLE_DIR, 'instance.yaml'), 'utf8');
  const own = replaceOnce(replaceOnce(text, '\nnamespace: mastodon\n', `\nnamespace: ${id}\n`), '  preset: single_node_cluster\n', `  preset: single_node_cluster\n  prefix: ${id}\n`);
  return edit(own);
}

/** Selects a cluster: `argocd.cluster: <name>` after the example's targetRevision. */
export function selecting(name: string): (text: string) => string {
  return (text) => replaceOnce(text, '  targetRevision: main\n', `  targetRevision: main\n  cluster: ${name}\n`);
}

/**
 * A config root in a scratch folder: `files` by path relative to it (`example/instance.yaml`,
 * `clusters/main.yaml`); an instance without its own queue-plan.yaml gets the example's.
 */
export function configRoot(files: Record<string, string>): string {
  const root = path.join(tempDir(), 'config');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  for (const dir of findInstanceDirs(root)) {
    const plan = path.join(dir, 'queue-plan.yaml');
    if (!fs.existsSync(plan)) fs.copyFileSync(path.join(EXAMPLE_DIR, 'queue-plan.yaml'), plan);
  }
  return root;
}

/**
 * Loads and renders every instance and cluster file of a config root, as synth does. On the way,
 * holds the facts a streamed synth decides by (lib/app/cross-instance.ts) to the checks across
 * instances: whenever a check reports a problem, the facts said it may.
 */
export function renderRoot(root: string): RenderResult {
  const clusterFiles = new ClusterFiles();
  const clusters = clusterFiles.all(root);
  const defaults = new SharedDefaults();
  const instances = findInstanceDirs(root).map((dir) => loadInstance(dir, defaults, undefined, clusterFiles));
  // Each instance rendered once, for the facts and for renderAll.
  const outcomes = new Map<LoadedInstance, Outcome>();
  const renderOne = (loaded: LoadedInstance) => {
    if (!outcomes.has(loaded)) outcomes.set(loaded, renderOutcome(() => renderInstance(loaded)));
    return outcomes.get(loaded)!;
  };
  expectFactsToSeeClashes(instances, clusters, renderOne);
  return renderAll(instances, clusters, (loaded) => {
    const outcome = renderOne(loaded);
    return 'result' in outcome ? outcome.result : rethrow(outcome, loaded.dir);
  });
}

function expectFactsToSeeClashes(instances: readonly LoadedInstance[], clusters: readonly LoadedCluster[], renderOne: (loaded: LoadedInstance) => Outcome): void {
  const facts = instances.map((loaded) => instanceFacts(loaded, clusters));
  const configProblems = [...sharingProblems(instances), ...clusterSelectionProblems(instances, clusters), ...operatorApplicationClashes(instances, clusters), ...applicationSetProblems(instances)];
  if (configProblems.length > 0) expect({ configProblems: configProblems.length, mayClash: configMayClash(facts, clusters) }).toEqual({ configProblems: configProblems.length, mayClash: true });
  if (configProblems.length > 0) return;
  const renders = instances.map((loaded) => {
    const outcome = renderOne(loaded);
    return 'result' in outcome ? outcome.result : undefined;
  });
  if (renders.some((r) => r === undefined)) return;
  const platform = renderClusters(clusters.map((c) => clusterModel(c)));
  const sets = renderApplicationSets(applicationSetModels(instances));
  const shared = [...platform.identities, ...sets.identities];
  const duplicates = noDuplicates([...renders.flatMap((r) => r!.identities), ...shared]);
  const mayClash = objectsMayClash(facts, renders.map((r, i) => renderFacts(instances[i].instance.namespace, r!.identities, r!.files.size)), shared);
  if (duplicates.length > 0) expect({ duplicates: duplicates.length, mayClash }).toEqual({ duplicates: duplicates.length, mayClash: true });
}

/**
 * The problems of rendering a config root, one per line, its scratch path shown as `config/` and
 * the line numbers in instance.yaml files (copies of the example, which other changes move) as `L`.
 */
export function problemsIn(root: string): string[] {
  const shown = path.relative(process.cwd(), root);
  return errorOf(() => renderRoot(root)).split('\n').map((line) => line.split(`${shown}/`).join('config/').replace(/instance\.yaml:\d+:/g, 'instance.yaml:L:'));
}
