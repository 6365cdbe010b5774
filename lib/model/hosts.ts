import { InstanceConfig } from '../config/types';
import { EdgeHosts } from '../core/hosts';
import { DERIVED } from './defaults';

/**
 * The hosts of an instance's edge. A LOCAL_DOMAIN other than WEB_DOMAIN is not among them: it
 * only has to redirect /.well-known/webfinger to the web domain, which its own site does.
 */
export function edgeHosts(instance: InstanceConfig): EdgeHosts {
  const m = instance.mastodon;
  const web = [...new Set([m.webDomain ?? DERIVED.webDomain(m.localDomain), ...(m.alternateDomains ?? [])].map((h) => h.toLowerCase()))];
  const streaming = instance.edge?.streamingDomain?.toLowerCase();
  return { web, streaming, all: streaming ? [...web, streaming] : web };
}
