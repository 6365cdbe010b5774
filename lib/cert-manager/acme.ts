import { AcmeEnvironment } from '../config/types';

/** @see https://cert-manager.io/docs/configuration/acme/ */
export const ACME_SERVERS: Readonly<Record<AcmeEnvironment, string>> = {
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
  production: 'https://acme-v02.api.letsencrypt.org/directory',
};

export const ACME_ENVIRONMENTS: readonly AcmeEnvironment[] = ['staging', 'production'];

/**
 * cert-manager's "cluster resource namespace", where the Secrets a ClusterIssuer references live
 * (the Helm chart's default).
 */
export const CERT_MANAGER_NAMESPACE = 'cert-manager';

/** The ingress-shim and gateway-shim annotation naming the ClusterIssuer of a certificate. */
export const CLUSTER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';

/**
 * Where cert-manager serves HTTP-01 challenge answers: a solver Ingress of a class, or a solver
 * HTTPRoute on a Gateway's listener.
 */
export type Http01Route =
  | { readonly ingressClassName: string }
  | { readonly gateway: { readonly name: string; readonly namespace: string; readonly listener: string } };

/**
 * A ClusterIssuer's name. Issuers are per instance (their HTTP-01 solver points at the instance's
 * edge), so the instance id keeps them apart in a cluster shared by several instances.
 */
export function letsEncryptIssuerName(instanceId: string, environment: AcmeEnvironment): string {
  return `letsencrypt-${environment}-${instanceId}`;
}
