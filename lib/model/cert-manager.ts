import { AcmeEnvironment, ACME_ENVIRONMENTS, Http01Route, letsEncryptIssuerName } from '../catalog/cert-manager';
import { SecretKeyRef } from '../core/env';
import { InstanceConfig } from '../config/types';
import { edgeClassName, GATEWAY_NAME, HTTP_LISTENER } from './edge';
import { DEFAULTS, Defaults, DERIVED } from './defaults';

/** Where HTTP-01 challenges of the instance reach cert-manager: through its edge, if it has one. */
export function http01Route(instance: InstanceConfig, d: Defaults = DEFAULTS): Http01Route | undefined {
  const edge = instance.edge;
  if (!edge) return undefined;
  if (edge.kind === 'ingress') return { ingressClassName: edgeClassName(edge, d) };
  return { gateway: { name: GATEWAY_NAME, namespace: instance.namespace, listener: HTTP_LISTENER } };
}

/**
 * Whether cert-manager answers the instance's challenges with HTTP-01, i.e. runs solver pods in
 * the namespace of its certificates (the default solver, when there is an edge to serve it).
 */
export function solvesHttp01(instance: InstanceConfig, d: Defaults = DEFAULTS): boolean {
  return instance.certManager !== undefined && (instance.certManager.solver ?? d.certManagerSolver) === 'http01' && http01Route(instance, d) !== undefined;
}

/** The Let's Encrypt issuers of an instance, resolved. */
export interface CertManagerModel {
  readonly email: string;
  readonly solver: { readonly dns01: { readonly token: SecretKeyRef } } | { readonly http01: Http01Route };
  readonly accountKeySecrets: Readonly<Record<AcmeEnvironment, string>>;
  readonly waitInsteadOfSelfCheck?: string;
}

/** The issuers' settings, or none without a certManager section. */
export function certManagerModel(instanceId: string, instance: InstanceConfig, d: Defaults = DEFAULTS): CertManagerModel | undefined {
  const config = instance.certManager;
  if (!config) return undefined;
  return {
    email: config.email,
    // Checked when loading: dns01 comes with a token, http01 with an edge.
    solver: (config.solver ?? d.certManagerSolver) === 'dns01' ? { dns01: { token: config.digitalOceanToken! } } : { http01: http01Route(instance, d)! },
    accountKeySecrets: Object.fromEntries(ACME_ENVIRONMENTS.map((e) =>
      [e, config.accountKeySecrets?.[e] ?? DERIVED.accountKeySecret(letsEncryptIssuerName(instanceId, e))])) as Record<AcmeEnvironment, string>,
    waitInsteadOfSelfCheck: config.waitInsteadOfSelfCheck,
  };
}
