import { Type } from '@sinclair/typebox';
import { literals, obj, opt, pattern, prop } from './kit';
import { labelKey, labelValue, nodeLabels } from './node-pools';

/**
 * `placement`: which nodes a component's pods may run on — a nodeSelector, tolerations and
 * required or preferred node affinity, as in a pod spec, plus `nodePool` for a DOKS node pool.
 * Given at the instance's top level (every pod we render) and per component (web, streaming, each
 * Sidekiq pool, each Dragonfly), where a component's nodeSelector is merged over the instance's
 * and its tolerations and node affinity replace the instance's.
 */

const toleration = obj({
  key: opt('The taint key; none with operator Exists: every taint.', labelKey),
  operator: opt('Equal (default): key and value match; Exists: any value.', literals(['Equal', 'Exists'])),
  value: opt('The taint value (not with Exists).', labelValue),
  effect: opt('NoSchedule, PreferNoSchedule or NoExecute; none: every effect.', literals(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])),
  tolerationSeconds: opt('With NoExecute: how long the pod stays once the taint appears. Default: forever.', Type.Integer({ minimum: 0 })),
});

const requirement = obj({
  key: prop('A node label key.', labelKey),
  operator: prop('How the label is matched.', literals(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'])),
  values: opt('In/NotIn: the values; Gt/Lt: one integer; Exists/DoesNotExist: none.', Type.Array(labelValue)),
});

const term = obj({ matchExpressions: prop('All of these hold.', Type.Array(requirement, { minItems: 1 })) });

export const placement = obj({
  nodePool: opt('Run on this DOKS node pool: nodeSelector doks.digitalocean.com/node-pool: <name> (checked against nodePools when given).', pattern('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$', "a DNS label: lowercase letters, digits and '-'")),
  nodeSelector: opt('Node labels the pods require.', nodeLabels),
  tolerations: opt('Taints the pods tolerate (a DOKS node pool\'s taints, to run there).', Type.Array(toleration)),
  affinity: opt('Node affinity (the scheduler\'s own fields). Pod (anti-)affinity is ours: Dragonfly keeps one pod per node.', obj({
    nodeAffinity: prop('Required and preferred node affinity.', obj({
      requiredDuringSchedulingIgnoredDuringExecution: opt('The node must match one of these terms.', obj({ nodeSelectorTerms: prop('Terms, any of which may match.', Type.Array(term, { minItems: 1 })) })),
      preferredDuringSchedulingIgnoredDuringExecution: opt('Weighted preferences.', Type.Array(obj({ weight: prop('1 to 100.', Type.Integer({ minimum: 1, maximum: 100 })), preference: prop('The preferred term.', term) }))),
    })),
  })),
});
