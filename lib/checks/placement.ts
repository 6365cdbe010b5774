import { Check } from './check';
import { error } from '../core/finding';
import { ConfigProblem } from '../core/errors';
import { ConfigSource, ValuePath } from '../core/source';
import { REDIS_ROLES } from '../catalog/redis';
import { InstanceConfig } from '../config/types';

type PlacementConfig = NonNullable<InstanceConfig['placement']>;

/**
 * `placement` wherever it is given: what the API server refuses in a pod's tolerations (kubernetes
 * pkg/apis/core/validation/validation.go validateTolerations: an empty key only with operator
 * Exists, tolerationSeconds only with effect NoExecute, no value with Exists) and node affinity
 * (the v1.33 API's NodeSelectorRequirement.values: In/NotIn take values, Exists/DoesNotExist none,
 * Gt/Lt a single integer), and a nodePool that is not among nodePools.
 */
function placementProblems(source: ConfigSource, at: ValuePath, p: PlacementConfig | undefined, pools: readonly string[] | undefined): ConfigProblem[] {
  if (!p) return [];
  const problems: ConfigProblem[] = [];
  if (p.nodePool !== undefined && pools !== undefined && !pools.includes(p.nodePool)) {
    problems.push(source.problem([...at, 'nodePool'], `"${p.nodePool}" is not allowed: no node pool of that name in nodePools; allowed: ${pools.join(', ')}`));
  }
  (p.tolerations ?? []).forEach((t, i) => {
    const here = [...at, 'tolerations', i];
    if (t.operator === 'Exists' && t.value !== undefined) problems.push(source.problem([...here, 'value'], `"${t.value}" is not allowed with operator Exists; allowed: no value (Exists matches any), or operator Equal`));
    if (t.key === undefined && t.operator !== 'Exists') problems.push(source.problem(here, 'a toleration without a key is not allowed unless operator is Exists (it tolerates every taint); allowed: a key, or operator: Exists'));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') problems.push(source.problem([...here, 'tolerationSeconds'], `${t.tolerationSeconds} is not allowed with effect ${t.effect ?? '(any)'}; allowed: tolerationSeconds only with effect NoExecute`));
  });
  const affinity = p.affinity?.nodeAffinity;
  const terms = [
    ...(affinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []).map((term, i) => ({ term, at: [...at, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms', i] })),
    ...(affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((pref, i) => ({ term: pref.preference, at: [...at, 'affinity', 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution', i, 'preference'] })),
  ];
  for (const { term, at: termAt } of terms) {
    term.matchExpressions.forEach((e, i) => {
      const values = e.values ?? [];
      const here = [...termAt, 'matchExpressions', i, 'operator'];
      if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) problems.push(source.problem(here, `${e.operator} is not allowed without values; allowed: values with ${e.operator}, or Exists/DoesNotExist`));
      if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) problems.push(source.problem(here, `${e.operator} is not allowed with values; allowed: no values, or In/NotIn`));
      if ((e.operator === 'Gt' || e.operator === 'Lt') && (values.length !== 1 || !/^-?[0-9]+$/.test(values[0]))) problems.push(source.problem(here, `${e.operator} is not allowed with values ${JSON.stringify(values)}; allowed: exactly one integer value`));
    });
  }
  return problems;
}

export const checkPlacement: Check = ({ sources, instance, queuePlan }) => {
  const pools = instance.nodePools?.map((p) => p.name);
  return [
    ...placementProblems(sources.instance, ['placement'], instance.placement, pools),
    ...placementProblems(sources.instance, ['web', 'placement'], instance.web?.placement, pools),
    ...placementProblems(sources.instance, ['streaming', 'placement'], instance.streaming?.placement, pools),
    ...REDIS_ROLES.flatMap(({ role }) => placementProblems(sources.instance, ['redis', role, 'dragonfly', 'placement'], instance.redis?.[role]?.dragonfly?.placement, pools)),
    ...Object.entries(queuePlan?.pools ?? {}).flatMap(([pool, config]) => placementProblems(sources.queuePlan, ['pools', pool, 'placement'], config.placement, pools)),
  ].map(error);
};
