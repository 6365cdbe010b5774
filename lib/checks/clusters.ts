import { OperatorId, requiredOperators } from '../catalog/operators';
import { REDIS_ROLES } from '../catalog/redis';
import { ConfigProblem } from '../core/errors';
import { ConfigSource, ValuePath } from '../core/source';
import { LoadedCluster, LoadedInstance } from '../config/types';
import { argoCdSettings } from '../model/argocd';
import { clusterModel } from '../model/cluster';
import { installedOperators, platformNeeds } from '../model/platform';

/** `config/clusters/main.yaml:1:1`: where a config value is, for messages that point at another file. */
function locate(source: ConfigSource, path: ValuePath): string {
  const { file, line, col } = source.problem(path, '');
  return `${file}:${line}:${col}`;
}

/** Where an instance's config makes it need an operator, and in words why. */
function whyNeeded(loaded: LoadedInstance, operator: OperatorId): { source: ConfigSource; path: ValuePath; reason: string } {
  const { instance, queuePlan, sources } = loaded;
  switch (operator) {
    case 'cert-manager':
      return { source: sources.instance, path: ['certManager'], reason: 'the ClusterIssuers of certManager' };
    case 'ingress-nginx':
      return { source: sources.instance, path: ['edge', 'kind'], reason: 'an Ingress edge' };
    case 'dragonfly-operator': {
      const role = REDIS_ROLES.find(({ role: r }) => !instance.redis?.[r]?.external)?.role;
      return { source: sources.instance, path: role && instance.redis?.[role] ? ['redis', role] : [], reason: `the Dragonfly of Redis role ${role} (a role without external runs one)` };
    }
    case 'keda': {
      const pool = Object.keys(queuePlan.pools).find((name) => queuePlan.pools[name].autoscaling !== undefined);
      return { source: sources.queuePlan, path: ['pools', pool ?? '', 'autoscaling'], reason: `the autoscaling of Sidekiq pool ${pool}` };
    }
    case 'external-secrets':
    case 'sealed-secrets':
      return { source: sources.instance, path: ['secrets', 'delivery'], reason: `secrets.delivery: ${operator}` };
    default:
      return { source: sources.instance, path: [], reason: 'this instance' };
  }
}

/**
 * The rules between an instance and the cluster files: an instance deploying to a server some
 * cluster file installs operators into selects that file (a name without a file there is most
 * likely a typo, and installing its own would install them twice); the file it selects declares
 * every operator it needs (with the settings they need) and is its cluster (same API server); the
 * operators are then the cluster file's alone (no `argocd.operators`, no ingress load-balancer
 * annotations).
 */
export function clusterSelectionProblems(instances: readonly LoadedInstance[], clusters: readonly LoadedCluster[]): ConfigProblem[] {
  const models = clusters.map((c) => ({ cluster: c, model: clusterModel(c) }));
  return instances.flatMap((loaded): ConfigProblem[] => {
    const { instance, sources } = loaded;
    const cluster = loaded.cluster;
    if (!cluster) {
      // Without a cluster file of its own, the instance installs its operators itself (as before
      // cluster files), unless a cluster file already installs them into the same server.
      const { server } = argoCdSettings(loaded.id, instance.argocd);
      const same = models.find(({ model }) => model.argocd.server === server)?.cluster;
      if (!same) return [];
      const selected = instance.argocd.cluster;
      if (selected !== undefined) {
        return [sources.instance.problem(['argocd', 'cluster'], `there is no config/clusters/${selected}.yaml, and ${same.source.file} declares the operators of ${server}; allowed: argocd.cluster: ${same.name}, or a config/clusters/${selected}.yaml of another server`)];
      }
      if (installedOperators(instance, loaded.queuePlan).length === 0) return [];
      const explicit = instance.argocd.operators !== undefined;
      return [sources.instance.problem(explicit ? ['argocd', 'operators'] : ['argocd'], `the instance installs its own operators into ${server}, whose operators ${same.source.file} declares; allowed: argocd.cluster: ${same.name}${explicit ? ' (and no argocd.operators)' : ''}, or argocd.operators: none`)];
    }
    const file = cluster.source.file;
    const problems: ConfigProblem[] = [];
    if (instance.argocd.operators !== undefined) {
      problems.push(sources.instance.problem(['argocd', 'operators'], `the operators of cluster ${cluster.name} are declared in ${file}; allowed: no argocd.operators here (list them under operators: in ${file})`));
    }
    const model = clusterModel(cluster);
    const { server } = argoCdSettings(loaded.id, instance.argocd);
    if (server !== model.argocd.server) {
      problems.push(sources.instance.problem(['argocd', instance.argocd.server ? 'server' : 'cluster'], `the instance deploys to ${server}, but ${file} installs the operators of cluster ${cluster.name} into ${model.argocd.server}; allowed: argocd.server: ${model.argocd.server}, or a cluster file of the instance's own cluster`));
    }
    const needs = platformNeeds(instance, loaded.queuePlan);
    for (const operator of requiredOperators(needs).filter((id) => !model.operators.includes(id))) {
      const why = whyNeeded(loaded, operator);
      problems.push(why.source.problem(why.path, `${why.reason} needs the ${operator} operator, which ${locate(cluster.source, ['operators'])} does not declare; allowed: add "${operator}: {}" under operators: in ${file}`));
    }
    if (needs.edge === 'gateway' && needs.certManager && model.operators.includes('cert-manager') && !model.settings.gatewayAPI) {
      problems.push(sources.instance.problem(['edge', 'kind'], `a Gateway with certManager needs cert-manager's Gateway API support, which ${locate(cluster.source, ['operators', 'cert-manager'])} does not turn on; allowed: "cert-manager: { gatewayAPI: true }" under operators: in ${file}`));
    }
    if (needs.edge === 'ingress' && instance.edge?.loadBalancerAnnotations !== undefined) {
      problems.push(sources.instance.problem(['edge', 'loadBalancerAnnotations'], `with kind: ingress these annotate the ingress-nginx Service that every instance of cluster ${cluster.name} shares; allowed: move them to operators.ingress-nginx.loadBalancerAnnotations in ${file}`, true));
    }
    return problems;
  });
}

/** Who renders an operator Application, for the first-come-first-served claims below. */
interface OperatorClaim {
  readonly key: string;
  readonly name: string;
  readonly namespace: string;
  readonly source: ConfigSource;
  readonly path: ValuePath;
  /** How messages name the claimant. */
  readonly who: string;
  /** The fix for a later claimant. */
  readonly fix: (owner: OperatorClaim) => string;
  readonly cluster?: string;
}

function claim(name: string, namespace: string, rest: Omit<OperatorClaim, 'key' | 'name' | 'namespace'>): OperatorClaim {
  return { key: `${namespace}/${name}`, name, namespace, ...rest };
}

/** Where cluster files install operators: the API servers of their Argo CD. */
function clusterServersOf(clusters: readonly LoadedCluster[]): Set<string> {
  return new Set(clusters.map((c) => clusterModel(c).argocd.server));
}

/** The operator Applications the cluster files render, as `<namespace>/<name>`, in order. */
export function clusterOperatorAppKeys(clusters: readonly LoadedCluster[]): string[] {
  return clusterClaims(clusters).map((c) => c.key);
}

/**
 * The operator Applications an instance renders itself, as `<namespace>/<name>`: none when it
 * selects a cluster file or deploys to a server one installs into (clusterSelectionProblems then
 * speaks for it).
 */
export function instanceOperatorAppKeys(loaded: LoadedInstance, clusters: readonly LoadedCluster[]): string[] {
  return instanceClaims(loaded, clusterServersOf(clusters)).map((c) => c.key);
}

function clusterClaims(clusters: readonly LoadedCluster[]): OperatorClaim[] {
  return clusters.flatMap((cluster) => {
    const model = clusterModel(cluster);
    return model.operators.map((operator) => claim(model.operatorAppName(operator), model.argocd.namespace, {
      source: cluster.source,
      path: ['operators', operator],
      who: cluster.source.file,
      cluster: cluster.name,
      fix: () => `allowed: one cluster file per cluster (both install into ${model.argocd.server}), or another server`,
    }));
  });
}

function instanceClaims(loaded: LoadedInstance, clusterServers: ReadonlySet<string>): OperatorClaim[] {
  const argo = argoCdSettings(loaded.id, loaded.instance.argocd);
  // Instances on a server a cluster file installs into are reported by clusterSelectionProblems.
  if (loaded.cluster || clusterServers.has(argo.server)) return [];
  const explicit = loaded.instance.argocd.operators !== undefined;
  return installedOperators(loaded.instance, loaded.queuePlan).map((operator) => claim(argo.operatorAppName(operator), argo.namespace, {
    source: loaded.sources.instance,
    path: explicit ? ['argocd', 'operators'] : ['argocd'],
    who: `instance ${loaded.id}`,
    fix: (owner) => (owner.cluster
      ? `allowed: a cluster file config/clusters/<cluster>.yaml for this instance's server ${argo.server}, selected with argocd.cluster (its operator Applications are then named <operator>-<cluster>), or argocd.operators: none`
      : 'allowed: declare the cluster\'s operators once in config/clusters/<cluster>.yaml and select it with argocd.cluster in every instance of that cluster (README, "Clusters"), or argocd.operators: none'),
  }));
}

/**
 * Operator Applications are cluster-wide names in Argo CD's namespace: each may be rendered once.
 * Cluster files claim theirs first, then the instances that install their own operators; a later
 * claimant gets an error at its config line with the fix (never a dist/ file: nothing is written).
 */
export function operatorApplicationClashes(instances: readonly LoadedInstance[], clusters: readonly LoadedCluster[]): ConfigProblem[] {
  const clusterServers = clusterServersOf(clusters);
  const claims: OperatorClaim[] = [...clusterClaims(clusters), ...instances.flatMap((loaded) => instanceClaims(loaded, clusterServers))];
  const owners = new Map<string, OperatorClaim>();
  /** Clashes grouped by claimant and owner, so that one instance gets one message naming every Application. */
  const clashes = new Map<string, { claimant: OperatorClaim; owner: OperatorClaim; names: string[] }>();
  for (const c of claims) {
    const owner = owners.get(c.key);
    if (!owner) {
      owners.set(c.key, c);
      continue;
    }
    const group = `${c.who}\0${owner.who}`;
    if (!clashes.has(group)) clashes.set(group, { claimant: c, owner, names: [] });
    clashes.get(group)!.names.push(`"${c.name}"`);
  }
  return [...clashes.values()].map(({ claimant: c, owner, names }) => c.source.problem(c.path,
    `the operator ${names.length === 1 ? 'Application' : 'Applications'} ${names.join(', ')} in namespace ${c.namespace} ${names.length === 1 ? 'is' : 'are'} already rendered for ${owner.who} (${locate(owner.source, owner.path)}); ${c.fix(owner)}`));
}
