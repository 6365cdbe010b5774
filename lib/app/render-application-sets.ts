import { ApplicationSetChart, ApplicationSetRootChart } from '../charts/application-set-chart';
import { APPLICATION_SETS_DIST_FOLDER, ApplicationSetModel } from '../model/application-set';
import { APPLICATION_SETS_MARKER } from '../render/write';
import { ChartsRender, renderBootstrapped } from './chart-objects';

export { APPLICATION_SETS_DIST_FOLDER };

/**
 * Renders one ApplicationSet per Argo CD namespace into `_argocd/<namespace>/argocd/` (its project
 * and the ApplicationSet, synced by its root) and `_argocd/<namespace>/bootstrap/` (the root,
 * applied once by hand), plus `_argocd/APPLICATIONSETS.md`. Nothing without members.
 */
export function renderApplicationSets(sets: readonly ApplicationSetModel[]): ChartsRender {
  return renderBootstrapped(APPLICATION_SETS_DIST_FOLDER, sets, (set) => set.namespace, (app, set) => ({
    argocd: new ApplicationSetChart(app, 'argocd', { set }),
    bootstrap: new ApplicationSetRootChart(app, 'bootstrap', { set }),
  }), { file: APPLICATION_SETS_MARKER, text: doc });
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
