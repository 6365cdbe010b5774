import { RenderedObject } from '../../lib/validate/object-problem';
import { exampleVariant, objects, replaceOnce, GATEWAY_EXAMPLE_DIR, EXAMPLE_DIR, renderedFiles } from '../helpers';

/**
 * The rendered output a contract test holds against upstream behaviour: both examples, and a
 * fixture config that differs where the contracts could break (one replica for the cache, three
 * for Sidekiq, the Sidekiq pool autoscaled by KEDA, restricted egress).
 */
export interface RenderedCase {
  readonly name: string;
  readonly objects: readonly RenderedObject[];
}

function rendered(name: string, dir: string): RenderedCase {
  const tree = renderedFiles(dir);
  return { name, objects: [...objects(tree)].map(([file, object]) => ({ file, object })) };
}

function fixtureDir(): string {
  return exampleVariant({
    instance: (t) => {
      let text = replaceOnce(t, '  sidekiq: # SIDEKIQ_REDIS_URL; snapshots, undeclared-key Lua allowed for sidekiq-unique-jobs\n    dragonfly:\n',
        '  sidekiq:\n    dragonfly:\n      replicas: 3\n');
      text = replaceOnce(text, '  cache: # CACHE_REDIS_URL; cache mode, no snapshots\n    dragonfly:\n', '  cache:\n    dragonfly:\n      replicas: 1\n');
      return `${text}\nnetworkPolicy:\n  egress: restricted\n`;
    },
    queuePlan: (t) => replaceOnce(t, '    replicas: 4\n', '    replicas: 4\n    autoscaling: { maxReplicas: 8, backlogPerReplica: 200, pollingIntervalSeconds: 15 }\n'),
  }, 'contract-fixture');
}

/** GIVEN the example fixtures (test/fixtures/config) and the contract fixture WHEN rendered. */
export function renderedCases(): RenderedCase[] {
  return [
    rendered('the example fixture', EXAMPLE_DIR),
    rendered('the gateway-example fixture', GATEWAY_EXAMPLE_DIR),
    rendered('contract fixture', fixtureDir()),
  ];
}

export function ofKind(objects: readonly RenderedObject[], kind: string): RenderedObject[] {
  return objects.filter((o) => o.object.kind === kind);
}
