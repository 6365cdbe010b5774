import { ApiObject, Chart } from 'cdk8s';
import { KubeObject } from '../validate/object-problem';

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
