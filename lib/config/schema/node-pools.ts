import { Type } from '@sinclair/typebox';
import { literals, map, namePattern, obj, opt, pattern, prop } from './kit';

/**
 * `nodePools`: the DOKS node pools of the cluster an instance runs on, for `plan` to say whether
 * the instance's pods fit, with one node drained. A cluster-level fact: it is its own module so a
 * cluster file (config/clusters/<name>.yaml) can hold the same schema once clusters are declared
 * once for all their instances.
 */

const LABEL_KEY = '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$';
const LABEL_KEY_ALLOWED = 'a label key such as doks.digitalocean.com/node-pool or workload';
const LABEL_VALUE = '^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$';
const LABEL_VALUE_ALLOWED = "a label value: at most 63 letters, digits, '-', '_' or '.'";

export const labelKey = pattern(LABEL_KEY, LABEL_KEY_ALLOWED);
export const labelValue = pattern(LABEL_VALUE, LABEL_VALUE_ALLOWED);
export const nodeLabels = map(namePattern(LABEL_KEY, LABEL_KEY_ALLOWED), labelValue);
export const taintEffect = literals(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

const cpu = pattern('^([0-9]+m|[0-9]+(\\.[0-9]+)?)$', 'a CPU quantity such as 3900m or 3.9');
const memory = pattern('^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti)$', 'a memory quantity such as 6.5Gi or 6656Mi');

const capacity = (what: string) => obj({
  cpu: prop(`CPU ${what}.`, cpu),
  memory: prop(`Memory ${what}.`, memory),
  ephemeralStorage: opt(`Ephemeral storage ${what}. Default: not checked.`, memory),
});

export const nodePool = obj({
  name: prop('The DOKS node pool name: its nodes carry the label doks.digitalocean.com/node-pool=<name>.', pattern('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$', "a DNS label: lowercase letters, digits and '-'")),
  size: prop('The Droplet size slug of its nodes, such as s-4vcpu-8gb (shown in the plan).', pattern('^[a-z0-9]+(-[a-z0-9]+)+$', 'a DigitalOcean size slug such as s-4vcpu-8gb or c-8')),
  count: prop('Nodes in the pool (with autoscaling: its minimum).', Type.Integer({ minimum: 1, maximum: 1000 })),
  allocatable: prop("What one node offers pods: the node's Allocatable (kubectl describe node <a node of the pool> | grep -A6 Allocatable), which DOKS sets below the Droplet's size.", capacity('allocatable per node')),
  reservedPerNode: opt("Requests of the DaemonSets on every node (DOKS's kube-system: cilium, csi-do-node, do-node-agent…, and your own), subtracted from allocatable. kubectl describe node lists them under Non-terminated Pods. Default: none.", capacity('requested per node by DaemonSets')),
  labels: opt('Other labels of its nodes (DOKS node pool labels), for nodeSelectors.', nodeLabels),
  taints: opt('Taints of its nodes (DOKS node pool taints): only pods that tolerate them run there.', Type.Array(obj({
    key: prop('Taint key.', labelKey),
    value: opt('Taint value. Default empty.', labelValue),
    effect: prop('NoSchedule and NoExecute keep pods without a toleration off the node; PreferNoSchedule only discourages them.', taintEffect),
  }))),
});

export const nodePools = Type.Array(nodePool, { minItems: 1 });
