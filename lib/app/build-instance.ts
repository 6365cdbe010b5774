import { ApiObject, App, Chart } from 'cdk8s';
import { InstanceModel } from '../model/types';
import { uniqueSecrets } from '../core/env';
import { ResolvedSecrets, resolveSecrets } from '../model/secrets';
import { STREAMING_PORT, WEB_PORT } from '../catalog/mastodon-processes';
import { ArgoCdChart } from '../charts/argocd-chart';
import { BootstrapChart } from '../charts/bootstrap-chart';
import { ClusterChart } from '../charts/cluster-chart';
import { DataChart } from '../charts/data-chart';
import { EdgeChart } from '../charts/edge-chart';
import { MastodonChart } from '../charts/mastodon-chart';
import { OperationsChart } from '../charts/operations-chart';
import { SearchChart } from '../charts/search-chart';
import { PlatformSecretsChart, SealedSecretInput, SecretsChart } from '../charts/secrets-chart';

/** The charts of one instance; each renders into `dist/<instance>/<chart id>/`. */
export interface InstanceCharts {
  readonly mastodon: MastodonChart;
  /** Dragonfly per Redis role. */
  readonly data: DataChart;
  /** Ingress or Gateway and HTTPRoutes. */
  readonly edge: EdgeChart;
  /** Cluster-scoped objects (ClusterIssuers), without a namespace. */
  readonly cluster: ClusterChart;
  /** Backups and other scheduled operations. */
  readonly operations: OperationsChart;
  /** The search index build (`tootctl search deploy`). */
  readonly search: SearchChart;
  /** How the Secrets reach the cluster (ExternalSecrets, SealedSecrets…); empty for the manual delivery. */
  readonly secretsDelivery: SecretsChart;
  /** The delivery of Secrets in other namespaces (the DNS-01 token), in the platform project. */
  readonly platformSecrets: PlatformSecretsChart;
  /** The app-of-apps delivering the charts above. */
  readonly argocd: ArgoCdChart;
  /** What a person applies once: the root Application and Argo CD's health checks. */
  readonly bootstrap: BootstrapChart;
  /** Every chart, in render order. */
  readonly all: readonly Chart[];
  /** Every Secret the instance references, with its keys and how it is delivered (SECRETS.md, the delivery, the checks). */
  readonly secrets: ResolvedSecrets;
}

/**
 * Builds every chart of one instance into `app`. Charts hand each other typed objects (endpoints,
 * Services, issuers), never cdk8s dependencies, which would prefix the rendered files.
 */
export function buildInstance(app: App, model: InstanceModel, inputs: { readonly sealed?: readonly SealedSecretInput[] } = {}): InstanceCharts {
  const cluster = new ClusterChart(app, 'cluster', { model });
  const data = new DataChart(app, 'data', { model });
  const mastodon = new MastodonChart(app, 'mastodon', { model, redis: data.redis });
  const edge = new EdgeChart(app, 'edge', {
    model,
    web: { service: mastodon.web.service, port: WEB_PORT },
    streaming: { service: mastodon.streaming.service, port: STREAMING_PORT },
    issuer: model.edge && cluster.issuers?.issuers[model.edge.issuerEnvironment],
  });
  const operations = new OperationsChart(app, 'operations', { model, env: mastodon.env });
  const search = new SearchChart(app, 'search', { model, env: mastodon.env });
  // Every construct declares the Secret keys it reads; one resolver groups them into Secrets.
  const secrets = resolveSecrets(model.secrets, model.namespace, uniqueSecrets([
    ...mastodon.env.model.requiredSecrets,
    ...(cluster.issuers?.requiredSecrets ?? []),
    ...operations.requiredSecrets,
  ]));
  const secretsDelivery = new SecretsChart(app, 'secrets', { model, secrets, sealed: inputs.sealed });
  const platformSecrets = new PlatformSecretsChart(app, 'platform-secrets', { model, secrets });
  // The charts Argo CD syncs, one child Application each (waves in lib/charts/waves.ts). A chart
  // that renders nothing has no folder in dist/, and an Application of a missing path fails.
  const synced: Chart[] = [cluster, platformSecrets, secretsDelivery, data, mastodon, edge, operations, search].filter(rendersObjects);
  const argocd = new ArgoCdChart(app, 'argocd', { model, charts: synced });
  const bootstrap = new BootstrapChart(app, 'bootstrap', { model });
  return {
    mastodon,
    data,
    edge,
    cluster,
    operations,
    search,
    secretsDelivery,
    platformSecrets,
    argocd,
    bootstrap,
    all: [...synced, argocd, bootstrap],
    secrets,
  };
}

function rendersObjects(chart: Chart): boolean {
  return chart.node.findAll().some((c) => ApiObject.isApiObject(c));
}
