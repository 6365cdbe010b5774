import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadInstance } from '../../lib/app/load';
import { renderAll, RenderResult } from '../../lib/app/render';
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

/** Loads and renders every instance and cluster file of a config root, as synth does. */
export function renderRoot(root: string): RenderResult {
  const clusterFiles = new ClusterFiles();
  const clusters = clusterFiles.all(root);
  const defaults = new SharedDefaults();
  const instances = findInstanceDirs(root).map((dir) => loadInstance(dir, defaults, undefined, clusterFiles));
  return renderAll(instances, clusters);
}

/**
 * The problems of rendering a config root, one per line, its scratch path shown as `config/` and
 * the line numbers in instance.yaml files (copies of the example, which other changes move) as `L`.
 */
export function problemsIn(root: string): string[] {
  const shown = path.relative(process.cwd(), root);
  return errorOf(() => renderRoot(root)).split('\n').map((line) => line.split(`${shown}/`).join('config/').replace(/instance\.yaml:\d+:/g, 'instance.yaml:L:'));
}
