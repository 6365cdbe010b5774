import { Check } from './check';
import { error } from '../core/finding';
import { ConfigProblem } from '../core/errors';
import { ConfigSource } from '../core/source';
import { InstanceConfig } from '../config/types';

/** Each edge source is either a namespace (with optional pod labels) or a CIDR block. */
function networkPolicyProblemsOf(source: ConfigSource, instance: InstanceConfig): ConfigProblem[] {
  const edge = instance.networkPolicy?.edge;
  if (!Array.isArray(edge)) return [];
  return edge.flatMap((peer, i) => {
    const at = ['networkPolicy', 'edge', i];
    if (peer.cidr !== undefined && (peer.namespace !== undefined || peer.podLabels !== undefined)) {
      return [source.problem(at, 'a source with cidr cannot also have namespace or podLabels; allowed: either {namespace, podLabels} or {cidr}')];
    }
    if (peer.cidr === undefined && peer.namespace === undefined) {
      return [source.problem(at, 'missing namespace or cidr; allowed: either {namespace, podLabels} or {cidr}')];
    }
    return [];
  });
}

export const checkNetworkPolicy: Check = ({ sources, instance }) => networkPolicyProblemsOf(sources.instance, instance).map(error);
