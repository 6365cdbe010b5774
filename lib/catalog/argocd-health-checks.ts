import { stringify } from 'yaml';

/**
 * Health checks Argo CD needs in its `argocd-cm` ConfigMap, rendered into
 * `dist/<instance>/bootstrap/argocd-cm.patch` (README, "Argo CD").
 */

/** Where the patch is written, under `dist/<instance>/`. */
export const HEALTH_CHECKS_PATCH_FILE = 'bootstrap/argocd-cm.patch';

/** The `argocd-cm` key of a resource health check in Lua. */
export function healthCheckKey(group: string, kind: string): string {
  return `resource.customizations.health.${group}_${kind}`;
}

/**
 * An Application is as healthy as its resources: without this, Argo CD (since 1.8) has no health
 * for `argoproj.io/Application`, an object without health counts as synced at once, and the
 * root's waves do not wait for the child Applications before them. Upstream's own check,
 * argo-cd v3.5.1 docs/operator-manual/health.md:46-58; see gitops-engine sync_context.go:558-561.
 */
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/** A Dragonfly is healthy once the operator reports it ready (`status.phase`). */
export const DRAGONFLY_HEALTH_LUA = `hs = {}
if obj.status ~= nil and (obj.status.phase == "Ready" or obj.status.phase == "ready") then
  hs.status = "Healthy"
  hs.message = "Ready"
else
  hs.status = "Progressing"
  hs.message = obj.status ~= nil and obj.status.phase or "waiting for the operator"
end
return hs
`;

/**
 * A merge patch for `argocd-cm` adding the health checks (`kubectl patch --type merge` keeps every
 * other key). Cluster-wide: it changes how every app-of-apps in that Argo CD waits.
 */
export function healthChecksPatch(options: { readonly dragonfly: boolean }): string {
  const data: Record<string, string> = { [healthCheckKey('argoproj.io', 'Application')]: APPLICATION_HEALTH_LUA };
  if (options.dragonfly) data[healthCheckKey('dragonflydb.io', 'Dragonfly')] = DRAGONFLY_HEALTH_LUA;
  const header = [
    '# Health checks for Argo CD, rendered by mastodon-cdk8s. Apply once per Argo CD (cluster-wide):',
    `#   kubectl -n argocd patch configmap argocd-cm --type merge --patch-file dist/<instance>/${HEALTH_CHECKS_PATCH_FILE}`,
  ];
  return `${header.join('\n')}\n${stringify({ data }, { lineWidth: 0 })}`;
}
