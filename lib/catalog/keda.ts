/**
 * Where the KEDA operator runs: the namespace of KEDA's install guide and Helm chart
 * (`helm install keda kedacore/keda --namespace keda`). Its pods read the queue lengths from Redis.
 * @see https://keda.sh/docs/2.20/deploy/
 */
export const KEDA_NAMESPACE = 'keda';

/**
 * The labels of the KEDA operator's pods that do not depend on the release, as the pinned chart
 * renders them with its default `operator.name: keda-operator` (kedacore/charts@v2.20.2
 * keda/values.yaml:86-88): `app`, `name` and `app.kubernetes.io/name` from
 * keda/templates/manager/deployment.yaml:27-30, and `app.kubernetes.io/component: operator` and
 * `app.kubernetes.io/part-of: <operator.name>` from `keda.labels` → `keda.crd-labels`
 * (keda/templates/_helpers.tpl:13-17, 26-28; `…/instance` is the release name, which Argo CD
 * sets per Application, so nothing here relies on it).
 */
export const KEDA_OPERATOR_CHART_POD_LABELS: Readonly<Record<string, string>> = {
  app: 'keda-operator',
  name: 'keda-operator',
  'app.kubernetes.io/name': 'keda-operator',
  'app.kubernetes.io/component': 'operator',
  'app.kubernetes.io/part-of': 'keda-operator',
};

/** What selects the KEDA operator's pods: the chart's `app.kubernetes.io/name`. */
export const KEDA_OPERATOR_POD_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/name': KEDA_OPERATOR_CHART_POD_LABELS['app.kubernetes.io/name'] };
