import { Construct } from 'constructs';
import { ClusterIssuer, ClusterIssuerSpecAcmeSolvers } from '../../../imports/clusterissuer-cert-manager.io';
import { RequiredSecret, SecretKeyRef } from '../../core/env';
import { AcmeEnvironment, ACME_ENVIRONMENTS, ACME_SERVERS, CERT_MANAGER_NAMESPACE, Http01Route, letsEncryptIssuerName } from '../../catalog/cert-manager';

/** How the issuers answer ACME challenges. */
export type AcmeSolver =
  /** TXT records through DigitalOcean's DNS API, with this token. */
  | { readonly dns01: { readonly token: SecretKeyRef } }
  /** Through the instance's edge. */
  | { readonly http01: Http01Route };

export interface LetsEncryptIssuersProps {
  readonly instanceId: string;
  /** The ACME account's contact. */
  readonly email: string;
  readonly solver: AcmeSolver;
  /** The Secret, in cert-manager's namespace, holding each environment's account key. */
  readonly accountKeySecrets: Readonly<Record<AcmeEnvironment, string>>;
  /** cert-manager's `waitInsteadOfSelfCheck`. @default none: cert-manager checks itself */
  readonly waitInsteadOfSelfCheck?: string;
}

/**
 * ClusterIssuers for Let's Encrypt staging and production, solving challenges either with HTTP-01
 * through the instance's edge or with DNS-01 through DigitalOcean DNS. Cluster-scoped: they belong
 * in a chart without a namespace.
 * @see https://cert-manager.io/docs/configuration/acme/
 */
export class LetsEncryptIssuers extends Construct {
  public readonly issuers: Readonly<Record<AcmeEnvironment, ClusterIssuer>>;
  /** Secrets in cert-manager's namespace that must exist (the DNS-01 token). */
  public readonly requiredSecrets: readonly RequiredSecret[];

  constructor(scope: Construct, id: string, props: LetsEncryptIssuersProps) {
    super(scope, id);
    const solver = this.solver(props.solver, props.waitInsteadOfSelfCheck);
    const token = 'dns01' in props.solver ? props.solver.dns01.token : undefined;
    this.requiredSecrets = token
      ? [{ ...token, namespace: CERT_MANAGER_NAMESPACE, envVar: 'dns01 solver of the ClusterIssuers', purpose: 'DigitalOcean API token with DNS write access' }]
      : [];
    const issuer = (environment: AcmeEnvironment) => new ClusterIssuer(this, environment, {
      metadata: { name: letsEncryptIssuerName(props.instanceId, environment) },
      spec: {
        acme: {
          email: props.email,
          server: ACME_SERVERS[environment],
          // cert-manager generates the account key into this Secret on first use.
          privateKeySecretRef: { name: props.accountKeySecrets[environment] },
          solvers: [solver],
        },
      },
    });
    this.issuers = Object.fromEntries(ACME_ENVIRONMENTS.map((e) => [e, issuer(e)])) as Record<AcmeEnvironment, ClusterIssuer>;
  }

  private solver(solver: AcmeSolver, wait: string | undefined): ClusterIssuerSpecAcmeSolvers {
    if ('dns01' in solver) {
      const { token } = solver.dns01;
      return { dns01: { digitalocean: { tokenSecretRef: { name: token.name, key: token.key } } }, waitInsteadOfSelfCheck: wait };
    }
    const route = solver.http01;
    return {
      http01: 'ingressClassName' in route
        ? { ingress: { ingressClassName: route.ingressClassName } }
        : { gatewayHttpRoute: { parentRefs: [{ kind: 'Gateway', name: route.gateway.name, namespace: route.gateway.namespace, sectionName: route.gateway.listener }] } },
      waitInsteadOfSelfCheck: wait,
    };
  }
}
