import { PLATFORM_OPERATORS } from '../catalog/operators';
import { ClusterOperatorsChart } from '../charts/cluster-operators-chart';
import { ClusterRootChart } from '../charts/cluster-root-chart';
import { ClusterModel, CLUSTERS_DIST_FOLDER } from '../model/cluster';
import { CLUSTERS_MARKER } from '../render/write';
import { ChartsRender, renderBootstrapped } from './chart-objects';

export { CLUSTERS_DIST_FOLDER };

/**
 * Renders every cluster file into `clusters/<cluster>/argocd/` (the AppProject and the operator
 * Applications the cluster root syncs) and `clusters/<cluster>/bootstrap/` (the root, applied once
 * by hand), plus `clusters/CLUSTERS.md` (what to apply, and the folder's mark of ownership for the
 * writer). Nothing when there are no cluster files, so a repository without them renders as before.
 */
export function renderClusters(clusters: readonly ClusterModel[]): ChartsRender {
  return renderBootstrapped(CLUSTERS_DIST_FOLDER, clusters, (cluster) => cluster.name, (app, cluster) => ({
    argocd: new ClusterOperatorsChart(app, 'argocd', { cluster }),
    bootstrap: new ClusterRootChart(app, 'bootstrap', { cluster }),
  }), { file: CLUSTERS_MARKER, text: clustersDoc });
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
