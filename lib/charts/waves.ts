/**
 * Sync waves of the root Application's children. Argo CD starts a wave once every object of the
 * waves before it is synced and healthy; for child Applications that wait needs the Application
 * health check in argocd-cm (README, "Argo CD").
 */

/** The AppProject, before any Application that belongs to it. */
export const PROJECT_WAVE = -10;

/** The platform operators: their CRDs must exist before issuers and Dragonfly instances. */
export const OPERATORS_WAVE = -3;

/**
 * Each chart of an instance (its `dist/<instance>/<chart>/` folder) by chart id. A new chart needs
 * an entry here, which says what it must wait for.
 */
export const CHART_WAVES: Readonly<Record<string, number>> = {
  // ClusterIssuers and Dragonfly instances, once cert-manager and the Dragonfly operator run.
  cluster: -2,
  data: -2,
  // The Secrets (ExternalSecrets or SealedSecrets, once ESO or the Sealed Secrets controller of the
  // operators' wave runs): healthy only when each has made its Secret (Argo CD's built-in health:
  // ExternalSecret Progressing until Ready, argo-cd v3.5.1
  // resource_customizations/external-secrets.io/ExternalSecret/health.lua:1-20; SealedSecret
  // Progressing until the controller's Synced condition, resource_customizations/bitnami.com/SealedSecret/health.lua), so
  // before the migrations of wave 0 read them. A Dragonfly of the same wave waits for its password
  // Secret as any pod does (the kubelet retries CreateContainerConfigError).
  secrets: -2,
  'platform-secrets': -2,
  // Migrations, then web, streaming and Sidekiq, once Redis is up.
  mastodon: 0,
  // Ingress or Gateway and certificates in front of web; backups and maintenance; the search index
  // build, once the migrations made the schema.
  edge: 1,
  operations: 1,
  search: 1,
};

/** The wave of a chart's child Application. */
export function chartWave(chartId: string): number {
  const wave = CHART_WAVES[chartId];
  if (wave === undefined) throw new Error(`chart "${chartId}" has no sync wave: add it to CHART_WAVES in lib/charts/waves.ts`);
  return wave;
}
