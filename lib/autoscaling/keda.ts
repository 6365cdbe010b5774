/**
 * Where the KEDA operator runs: the namespace of KEDA's install guide and Helm chart
 * (`helm install keda kedacore/keda --namespace keda`). Its pods read the queue lengths from Redis.
 * @see https://keda.sh/docs/2.20/deploy/
 */
export const KEDA_NAMESPACE = 'keda';

/** The labels of the KEDA operator's pods (chart kedacore/keda, `operator.name: keda-operator`). */
export const KEDA_OPERATOR_POD_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/name': 'keda-operator' };

