import { App, Chart } from 'cdk8s';
import { ApplicationSetChart, ApplicationSetRootChart } from '../charts/application-set-chart';
import { RenderedTree } from '../core/tree';
import { APPLICATION_SETS_DIST_FOLDER, ApplicationSetModel } from '../model/application-set';
import { yamlFile } from '../render/canonical';
import { APPLICATION_SETS_MARKER } from '../render/write';
import { RenderedObject, ValidationError } from '../validate/object-problem';
import { checkRendered } from '../validate/validate';
import { chartObjects } from './chart-objects';
import { ClustersRender } from './render-clusters';

export { APPLICATION_SETS_DIST_FOLDER };

/**
 * Renders one ApplicationSet per Argo CD namespace into `_argocd/<namespace>/argocd/` (its project
 * and the ApplicationSet, synced by its root) and `_argocd/<namespace>/bootstrap/` (the root,
 * applied once by hand), plus `_argocd/APPLICATIONSETS.md`. Nothing without members.
 */
export function renderApplicationSets(sets: readonly ApplicationSetModel[]): ClustersRender {
  const files: RenderedTree = new Map();
  const objects: RenderedObject[] = [];
  for (const set of sets) {
    const app = new App();
    const charts: Chart[] = [new ApplicationSetChart(app, 'argocd', { set }), new ApplicationSetRootChart(app, 'bootstrap', { set })];
    for (const chart of charts) {
      for (const object of chartObjects(chart)) {
        const file = `${APPLICATION_SETS_DIST_FOLDER}/${set.namespace}/${chart.node.id}/${object.kind}.${object.metadata.name}.yaml`;
        files.set(file, yamlFile(object));
        objects.push({ file, object });
      }
    }
  }
  const problems = checkRendered(objects);
  if (problems.length > 0) throw new ValidationError(problems);
  if (sets.length > 0) files.set(`${APPLICATION_SETS_DIST_FOLDER}/${APPLICATION_SETS_MARKER}`, doc(sets));
  const identities = objects.map(({ file, object: { apiVersion, kind, metadata } }) =>
    ({ file, object: { apiVersion, kind, metadata: { name: metadata.name, namespace: metadata.namespace } } }));
  return { files, identities };
}

function doc(sets: readonly ApplicationSetModel[]): string {
  return [
    '# ApplicationSets',
    '',
    'Rendered by mastodon-cdk8s from the instances with `argocd.applicationSet`; do not edit (README, "One ApplicationSet for every instance").',
    '',
    ...sets.flatMap((set) => {
      const dir = set.gitSource('x').path.replace(/\/x$/, '');
      return [
        `## ${set.name} in namespace ${set.namespace}`,
        '',
        `Generates the roots of ${set.members.map((m) => `\`${m.id}\`${set.progressive ? ` (${m.rolloutGroup})` : ''}`).join(', ')}${set.progressive ? ', with RollingSync' : ''}.`,
        '',
        'Bootstrap, once per Argo CD (then every instance added to config/ is generated on merge):',
        '',
        '```sh',
        `kubectl apply -n ${set.namespace} -f ${dir}/argocd/AppProject.${set.project}.yaml \\`,
        `  -f ${dir}/bootstrap/Application.${set.rootAppName}.yaml`,
        '```',
        '',
      ];
    }),
  ].join('\n');
}
