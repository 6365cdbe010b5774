import { Http01Route } from '../catalog/cert-manager';
import { InstanceConfig } from '../config/types';
import { edgeClassName, GATEWAY_NAME, HTTP_LISTENER } from './edge';

/** Where HTTP-01 challenges of the instance reach cert-manager: through its edge, if it has one. */
export function http01Route(instance: InstanceConfig): Http01Route | undefined {
  const edge = instance.edge;
  if (!edge) return undefined;
  if (edge.kind === 'ingress') return { ingressClassName: edgeClassName(edge) };
  return { gateway: { name: GATEWAY_NAME, namespace: instance.namespace, listener: HTTP_LISTENER } };
}

/**
 * Whether cert-manager answers the instance's challenges with HTTP-01, i.e. runs solver pods in
 * the namespace of its certificates (the default solver, when there is an edge to serve it).
 */
export function solvesHttp01(instance: InstanceConfig): boolean {
  return instance.certManager !== undefined && instance.certManager.solver !== 'dns01' && http01Route(instance) !== undefined;
}
