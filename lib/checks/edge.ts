import { Defaults } from '../model/defaults';
import { Check } from './check';
import { error } from '../core/finding';
import { edgeHosts } from '../model/hosts';
import { DO_PROXY_PROTOCOL_ANNOTATION } from '../catalog/ingress-nginx';
import { ConfigProblem } from '../core/errors';
import { show } from '../core/show';
import { ConfigSource } from '../core/source';
import { InstanceConfig } from '../config/types';

/** Gateway API's limit of listeners per Gateway. */
const MAX_GATEWAY_LISTENERS = 64;

/** Checks the schema cannot express: the edge, its certificate and cert-manager fit together. */
function edgeProblems(source: ConfigSource, instance: InstanceConfig, d: Defaults): ConfigProblem[] {
  const { edge, certManager } = instance;
  const problems: ConfigProblem[] = [];
  if (edge && !certManager) {
    problems.push(source.problem(['edge'], 'needs a certManager section: the edge serves a certificate from its Let\'s Encrypt ClusterIssuers'));
  }
  if (certManager) {
    const solver = certManager.solver ?? d.certManagerSolver;
    if (solver === 'http01' && !edge) {
      problems.push(source.problem(['certManager', 'solver'], 'http01 answers challenges through the edge, and there is no edge section; allowed: add an edge, or solver: dns01'));
    }
    if (solver === 'dns01' && !certManager.digitalOceanToken) {
      problems.push(source.problem(['certManager'], 'missing required field "digitalOceanToken": dns01 creates TXT records with a DigitalOcean API token'));
    }
    if (solver === 'http01' && certManager.digitalOceanToken) {
      problems.push(source.problem(['certManager', 'digitalOceanToken'], 'is only used with solver: dns01; allowed: remove it, or set solver: dns01', true));
    }
  }
  if (!edge) return problems;
  const hosts = edgeHosts(instance);
  if (hosts.streaming && hosts.web.includes(hosts.streaming)) {
    problems.push(source.problem(['edge', 'streamingDomain'], `${show(edge.streamingDomain)} is already a web host; allowed: a host of its own, or leave it out to serve streaming under the web domain`));
  }
  const proxyProtocol = edge.loadBalancerAnnotations?.[DO_PROXY_PROTOCOL_ANNOTATION];
  if (proxyProtocol !== undefined && proxyProtocol !== 'true' && proxyProtocol !== 'false') {
    problems.push(source.problem(['edge', 'loadBalancerAnnotations', DO_PROXY_PROTOCOL_ANNOTATION], `${JSON.stringify(proxyProtocol)} is not a switch; allowed: "true" or "false"`, true));
  }
  if (edge.kind === 'gateway' && proxyProtocol === 'true') {
    problems.push(source.problem(['edge', 'loadBalancerAnnotations', DO_PROXY_PROTOCOL_ANNOTATION], 'turns on PROXY protocol at the load balancer, and the Gateway\'s proxy is not configured for it here; allowed: only with kind: ingress (ingress-nginx then sets use-proxy-protocol)', true));
  }
  // One listener per host plus plain HTTP.
  if (edge.kind === 'gateway' && hosts.all.length + 1 > MAX_GATEWAY_LISTENERS) {
    problems.push(source.problem(['mastodon', 'alternateDomains'], `${hosts.all.length} hosts need ${hosts.all.length + 1} Gateway listeners; allowed: at most ${MAX_GATEWAY_LISTENERS}`));
  }
  return problems;
}

export const checkEdge: Check = ({ sources, instance, defaults }) => edgeProblems(sources.instance, instance, defaults).map(error);
