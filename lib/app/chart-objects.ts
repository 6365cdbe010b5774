import { ApiObject, App, Chart } from 'cdk8s';
import { RenderedTree } from '../core/tree';
import { yamlFile } from '../render/canonical';
import { KubeObject, RenderedObject, ValidationError } from '../validate/object-problem';
import { checkRendered } from '../validate/validate';

/**
 * The objects of one chart, as `chart.toJson()` gives them, without its app-wide passes (it
 * infers dependencies and runs validations over the whole app once per chart): the charts here
 * declare no dependencies (they would prefix file names) and no construct validations, so those
 * passes only cost time, a hundred instances' worth for a hosting provider. Each object renders
 * itself (`ApiObject.toJson()` resolves its values and applies the chart's namespace).
 */
export function chartObjects(chart: Chart): KubeObject[] {
  return chart.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart)
    .map((o) => o.toJson() as KubeObject);
}

/** What the render of some charts gives: their files and the identity of each object. */
export interface ChartsRender {
  readonly files: RenderedTree;
  readonly identities: readonly RenderedObject[];
}

/**
 * Renders charts outside an instance (a cluster's, the ApplicationSets') to
 * `<folder>/<chart>/<Kind>.<name>.yaml`, checked by the semantic and policy checks of lib/validate.
 */
export function renderCharts(charts: readonly { readonly folder: string; readonly chart: Chart }[]): ChartsRender {
  const files: RenderedTree = new Map();
  const objects: RenderedObject[] = [];
  for (const { folder, chart } of charts) {
    for (const object of chartObjects(chart)) {
      const file = `${folder}/${chart.node.id}/${object.kind}.${object.metadata.name}.yaml`;
      files.set(file, yamlFile(object));
      objects.push({ file, object });
    }
  }
  const problems = checkRendered(objects);
  if (problems.length > 0) throw new ValidationError(problems);
  return { files, identities: identitiesOf(objects) };
}

/**
 * Renders what is bootstrapped by hand once per item (a cluster's operators, an ApplicationSet):
 * per item, `<top>/<folder>/argocd/` (what its root syncs) and `<top>/<folder>/bootstrap/` (the
 * root), each chart in an App of its own, and, when there is any item, `<top>/<marker>`: what to
 * apply, and the folder's mark of ownership for the writer (lib/render/write.ts).
 */
export function renderBootstrapped<T>(top: string, items: readonly T[], folderOf: (item: T) => string, charts: (app: App, item: T) => { readonly argocd: Chart; readonly bootstrap: Chart }, marker: { readonly file: string; readonly text: (items: readonly T[]) => string }): ChartsRender {
  const { files, identities } = renderCharts(items.flatMap((item) => {
    const folder = `${top}/${folderOf(item)}`;
    const { argocd, bootstrap } = charts(new App(), item);
    return [{ folder, chart: argocd }, { folder, chart: bootstrap }];
  }));
  if (items.length > 0) files.set(`${top}/${marker.file}`, marker.text(items));
  return { files, identities };
}

/** Each object's file, kind and name: what the checks across instances compare. */
export function identitiesOf(objects: readonly RenderedObject[]): RenderedObject[] {
  return objects.map(({ file, object: { apiVersion, kind, metadata } }) =>
    ({ file, object: { apiVersion, kind, metadata: { name: metadata.name, namespace: metadata.namespace } } }));
}
