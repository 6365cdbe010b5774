import fc from 'fast-check';
import { InstanceFacts, objectsMayClash, renderFacts } from '../../lib/app/cross-instance';
import { RenderedObject } from '../../lib/validate/object-problem';
import { noDuplicates } from '../../lib/validate/semantic';
import { numRuns, seed } from './mutations';

/**
 * A streamed synth (lib/app/render-stream.ts) compares only the objects outside their instance's
 * namespace (and those rendered for all instances) to decide whether two objects may be one:
 * GIVEN instances, each with its own namespace (sharingProblems guarantees it), rendering objects
 * into their own namespace, another instance's, a shared one or none (cluster-scoped) WHEN
 * noDuplicates finds two objects that are one THEN objectsMayClash said they may be.
 */

const NAMESPACES = ['tenant-a', 'tenant-b', 'tenant-c'];

/** An instance's objects: per object, a namespace (by index: 0–2 an instance's, 3 a shared one, 4 none), a kind and a name. */
const instanceObjects = fc.array(fc.record({ ns: fc.nat(4), kind: fc.constantFrom('Application', 'ClusterIssuer', 'Service'), name: fc.constantFrom('web', 'root', 'x') }), { maxLength: 6 });

function objectsOf(instance: number, objects: { ns: number; kind: string; name: string }[]): RenderedObject[] {
  return objects.map(({ ns, kind, name }, i) => ({
    file: `i${instance}/o${i}.yaml`,
    object: { apiVersion: 'v1', kind, metadata: { name, ...(ns < 3 ? { namespace: NAMESPACES[ns] } : ns === 3 ? { namespace: 'argocd' } : {}) } },
  }));
}

function factsOf(instance: number): InstanceFacts {
  return { id: `i${instance}`, namespace: NAMESPACES[instance], sharing: [], operatorApps: [], clusterProblems: false, applicationSet: null };
}

describe('the facts for objects rendered twice', () => {
  test('GIVEN random objects of three instances and shared ones WHEN noDuplicates finds a duplicate THEN objectsMayClash said so', () => {
    fc.assert(fc.property(fc.array(instanceObjects, { minLength: 3, maxLength: 3 }), instanceObjects, (perInstance, sharedObjects) => {
      // Within one instance, duplicates stop its own render (checkRendered): only instances without any are rendered.
      fc.pre(perInstance.every((objects, i) => noDuplicates(objectsOf(i, objects)).length === 0));
      const renders = perInstance.map((objects, i) => objectsOf(i, objects));
      const shared = objectsOf(9, sharedObjects);
      const facts = perInstance.map((_, i) => factsOf(i));
      const duplicates = noDuplicates([...renders.flat(), ...shared]).length > 0;
      const mayClash = objectsMayClash(facts, renders.map((r, i) => renderFacts(NAMESPACES[i], r, r.length)), shared);
      if (duplicates) expect(mayClash).toBe(true);
    }), { numRuns: numRuns(300), seed: seed() });
  });

  test('GIVEN objects each in its own instance\'s namespace and distinct shared ones THEN nothing may clash', () => {
    const renders = [0, 1, 2].map((i) => objectsOf(i, [{ ns: i, kind: 'Service', name: 'web' }]));
    const shared = objectsOf(9, [{ ns: 3, kind: 'Application', name: 'root' }, { ns: 4, kind: 'ClusterIssuer', name: 'x' }]);
    expect(objectsMayClash([0, 1, 2].map(factsOf), renders.map((r, i) => renderFacts(NAMESPACES[i], r, r.length)), shared)).toBe(false);
  });
});
