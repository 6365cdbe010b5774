import { Http01Route } from '../cert-manager/acme';
import { InstanceConfig } from '../config/types';
import { edgeClassName, GATEWAY_NAME, HTTP_LISTENER } from './defaults';

/** Where HTTP-01 challenges of the instance reach cert-manager: through its edge, if it has one. */
export function http01Route(instance: InstanceConfig): Http01Route | undefined {
  const edge = instance.edge;
  if (!edge) return undefined;
  if (edge.kind === 'ingress') return { ingressClassName: edgeClassName(edge) };
  return { gateway: { name: GATEWAY_NAME, namespace: instance.namespace, listener: HTTP_LISTENER } };
}
