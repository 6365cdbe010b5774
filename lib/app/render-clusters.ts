import { App, Chart } from 'cdk8s';
import { PLATFORM_OPERATORS } from '../catalog/operators';
import { ClusterOperatorsChart } from '../charts/cluster-operators-chart';
import { ClusterRootChart } from '../charts/cluster-root-chart';
import { RenderedTree } from '../core/tree';
import { ClusterModel, CLUSTERS_DIST_FOLDER } from '../model/cluster';
import { yamlFile } from '../render/canonical';
import { CLUSTERS_MARKER } from '../render/write';
import { RenderedObject, ValidationError } from '../validate/object-problem';
import { checkRendered } from '../validate/validate';
import { chartObjects } from './chart-objects';

export { CLUSTERS_DIST_FOLDER };

export interface ClustersRender {
  readonly files: RenderedTree;
  readonly identities: readonly RenderedObject[];
}

/**
 * Renders every cluster file into `clusters/<cluster>/argocd/` (the AppProject and the operator
 * Applications the cluster root syncs) and `clusters/<cluster>/bootstrap/` (the root, applied once
 * by hand), plus `clusters/CLUSTERS.md` (what to apply, and the folder's mark of ownership for the
 * writer). Nothing when there are no cluster files, so a repository without them renders as before.
 */
export function renderClusters(clusters: readonly ClusterModel[]): ClustersRender {
  const files: RenderedTree = new Map();
  const objects: RenderedObject[] = [];
  for (const cluster of clusters) {
    const app = new App();
    const charts: Chart[] = [
      new ClusterOperatorsChart(app, 'argocd', { cluster }),
      new ClusterRootChart(app, 'bootstrap', { cluster }),
    ];
    for (const chart of charts) {
      for (const object of chartObjects(chart)) {
        const file = `${CLUSTERS_DIST_FOLDER}/${cluster.name}/${chart.node.id}/${object.kind}.${object.metadata.name}.yaml`;
        files.set(file, yamlFile(object));
        objects.push({ file, object });
      }
    }
  }
  const problems = checkRendered(objects);
  if (problems.length > 0) throw new ValidationError(problems);
  if (clusters.length > 0) files.set(`${CLUSTERS_DIST_FOLDER}/${CLUSTERS_MARKER}`, clustersDoc(clusters));
  const identities = objects.map(({ file, object: { apiVersion, kind, metadata } }) =>
    ({ file, object: { apiVersion, kind, metadata: { name: metadata.name, namespace: metadata.namespace } } }));
  return { files, identities };
}

/** `dist/clusters/CLUSTERS.md`: per cluster, its operators and the bootstrap commands. */
function clustersDoc(clusters: readonly ClusterModel[]): string {
  const sections = clusters.map((c) => {
    const dir = `${c.argocd.distPath}/${CLUSTERS_DIST_FOLDER}/${c.name}`;
    const rows = c.operators.map((id) => {
      const { chart, namespace } = PLATFORM_OPERATORS[id];
      return `| \`${c.operatorAppName(id)}\` | ${chart.chart ?? chart.repoURL} ${chart.version} | \`${namespace}\` |`;
    });
    return [
      `## ${c.name}`,
      '',
      `Rendered from \`config/${CLUSTERS_DIST_FOLDER}/${c.name}.yaml\`: the operators of ${c.argocd.server}, installed once for every instance with \`argocd.cluster: ${c.name}\`.`,
      '',
      '| Application | chart | namespace |',
      '| --- | --- | --- |',
      ...(rows.length > 0 ? rows : ['| (none) | | |']),
      '',
      'Bootstrap, once per cluster (the root then syncs the project and the operators):',
      '',
      '```sh',
      `kubectl apply -n ${c.argocd.namespace} -f ${dir}/argocd/AppProject.${c.argocd.project}.yaml \\`,
      `  -f ${dir}/bootstrap/Application.${c.argocd.rootAppName}.yaml`,
      '```',
      '',
    ].join('\n');
  });
  return ['# Clusters', '', 'Rendered by mastodon-cdk8s from `config/clusters/`; do not edit (README, "Clusters").', '', ...sections].join('\n');
}
