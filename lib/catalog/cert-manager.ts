/** Let's Encrypt's two ACME environments. */
export type AcmeEnvironment = 'staging' | 'production';

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

/**
 * The label on every HTTP-01 solver pod (cert-manager/cert-manager@v1.21.1
 * pkg/apis/acme/v1/types.go:58-60, set in pkg/issuer/acme/http/pod.go:35-48 and kept over extra
 * labels, pod.go:50-57, 197-209). cert-manager creates the pod in the namespace of the Challenge,
 * i.e. of the certificate (pod.go:208).
 */
export const ACME_SOLVER_LABEL = 'acme.cert-manager.io/http01-solver';
export const ACME_SOLVER_LABEL_VALUE = 'true';
/** The port the solver pod listens on (pkg/issuer/acme/http/http.go:48-49). */
export const ACME_SOLVER_PORT = 8089;
/** The ingress-shim and gateway-shim annotation naming a namespaced Issuer. */
export const ISSUER_ANNOTATION = 'cert-manager.io/issuer';
