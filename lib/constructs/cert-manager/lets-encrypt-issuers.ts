import { Construct } from 'constructs';
import { ClusterIssuer, ClusterIssuerSpecAcmeSolvers } from '../../../imports/clusterissuer-cert-manager.io';
import { AcmeEnvironment, CertManagerConfig } from '../../config/types';
import { RequiredSecret } from '../../core/env';
import { ACME_ENVIRONMENTS, ACME_SERVERS, CERT_MANAGER_NAMESPACE, Http01Route, letsEncryptIssuerName } from '../../catalog/cert-manager';

export interface LetsEncryptIssuersProps {
  readonly instanceId: string;
  readonly config: CertManagerConfig;
  /** Where HTTP-01 answers are served (the instance's edge). @default none: only dns01 works */
  readonly http01?: Http01Route;
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
    const { config } = props;
    const solver = this.solver(config, props.http01);
    const token = config.solver === 'dns01' ? config.digitalOceanToken : undefined;
    this.requiredSecrets = token
      ? [{ ...token, namespace: CERT_MANAGER_NAMESPACE, envVar: 'dns01 solver of the ClusterIssuers', purpose: 'DigitalOcean API token with DNS write access' }]
      : [];
    const issuer = (environment: AcmeEnvironment) => new ClusterIssuer(this, environment, {
      metadata: { name: letsEncryptIssuerName(props.instanceId, environment) },
      spec: {
        acme: {
          email: config.email,
          server: ACME_SERVERS[environment],
          // cert-manager generates the account key into this Secret on first use.
          privateKeySecretRef: { name: config.accountKeySecrets?.[environment] ?? `${letsEncryptIssuerName(props.instanceId, environment)}-account-key` },
          solvers: [solver],
        },
      },
    });
    this.issuers = Object.fromEntries(ACME_ENVIRONMENTS.map((e) => [e, issuer(e)])) as Record<AcmeEnvironment, ClusterIssuer>;
  }

  private solver(config: CertManagerConfig, http01: Http01Route | undefined): ClusterIssuerSpecAcmeSolvers {
    const wait = config.waitInsteadOfSelfCheck;
    if (config.solver === 'dns01') {
      // Checked when loading: dns01 comes with a token.
      const token = config.digitalOceanToken!;
      return { dns01: { digitalocean: { tokenSecretRef: { name: token.name, key: token.key } } }, waitInsteadOfSelfCheck: wait };
    }
    // Checked when loading: http01 comes with an edge.
    const route = http01!;
    return {
      http01: 'ingressClassName' in route
        ? { ingress: { ingressClassName: route.ingressClassName } }
        : { gatewayHttpRoute: { parentRefs: [{ kind: 'Gateway', name: route.gateway.name, namespace: route.gateway.namespace, sectionName: route.gateway.listener }] } },
      waitInsteadOfSelfCheck: wait,
    };
  }
}
