import { parse } from 'yaml';
import { configRoot, exampleAs, renderRoot } from '../clusters/fixture';
import { replaceOnce } from '../helpers';

/**
 * What Argo CD's ApplicationSet controller does with the ApplicationSet synth renders (issue 17,
 * item 6), as read at argoproj/argo-cd@v3.5.1 and modelled here, held against the rendered set:
 *
 * - The template is rendered per list element (applicationset/utils/utils.go:276-290): every
 *   string, map keys included (:218-228), goes through Go's text/template with the set's
 *   `goTemplateOptions` (:402-422); with `missingkey=error` a key an element lacks fails the whole
 *   set, and a template that is not Go syntax stays as written.
 * - A generated Application gets the `resources-finalizer.argocd.argoproj.io` finalizer unless the
 *   template has finalizers or `preserveResourcesOnDeletion` is true (utils.go:294-302).
 * - `applicationsSync` allows updates with `create-update` and `sync`, deletions with `sync` and
 *   `create-delete` only (pkg/apis/application/v1alpha1/applicationset_types.go:112-134); when
 *   deletions are not allowed, deleting the ApplicationSet removes its owner references from the
 *   generated Applications instead of deleting them
 *   (applicationset/controllers/applicationset_controller.go:149-158).
 * - RollingSync puts a generated Application into the steps whose matchExpressions its labels
 *   satisfy (`In`: the label must be there and in the values; applicationset/progressivesync/
 *   progressive_sync.go:280-328), and syncs only the Applications of some step, step after step
 *   (getAppsToSync, :525-569): an Application in no step is never synced, one in two steps is
 *   warned about and counts in the first (:316-321).
 */

/** Go text/template on one string with `missingkey=error`: `{{.key}}` only, as the rendered set uses. */
function goTemplate(text: string, params: Record<string, string>): string {
  return text.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_, key: string) => {
    if (!(key in params)) throw new Error(`map has no entry for key "${key}"`);
    return params[key];
  });
}

/** utils.go:93-260 deeplyReplace: every string and map key of the template. */
function render(value: unknown, params: Record<string, string>): unknown {
  if (typeof value === 'string') return goTemplate(value, params);
  if (Array.isArray(value)) return value.map((v) => render(v, params));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [goTemplate(k, params), render(v, params)]));
  return value;
}

/** utils.go:276-303 RenderTemplateParams: the generated Application of one element. */
function generate(set: any, element: Record<string, string>): any {
  const app = render(set.spec.template, element) as any;
  if (!set.spec.syncPolicy?.preserveResourcesOnDeletion && (app.metadata.finalizers ?? []).length === 0) {
    app.metadata.finalizers = ['resources-finalizer.argocd.argoproj.io'];
  }
  return app;
}

/** progressive_sync.go:296-325: the steps (0-based) whose matchExpressions select `labels`. */
function stepsOf(set: any, labels: Record<string, string>): number[] {
  return (set.spec.strategy.rollingSync.steps as any[]).flatMap((step, i) => ((step.matchExpressions as any[]).every((m) => {
    const value = labels[m.key];
    if (value === undefined) return m.operator !== 'In';
    return m.operator === 'In' ? m.values.includes(value) : m.operator === 'NotIn' ? !m.values.includes(value) : false;
  }) ? [i] : []));
}

const member = (group?: string, operators = false) => (text: string) => replaceOnce(text, '  targetRevision: main\n', `  targetRevision: main\n${operators ? '' : '  operators: none\n'}  applicationSet: ${group ? `{ rolloutGroup: ${group} }` : '{}'}\n`);

describe('Argo CD v3.5.1 ApplicationSet controller and the rendered set', () => {
  const root = configRoot({
    'a/instance.yaml': exampleAs('a', member('canary', true)),
    'b/instance.yaml': exampleAs('b', member('early')),
    'c/instance.yaml': exampleAs('c', member()),
    'd/instance.yaml': exampleAs('d', member('main')),
  });
  const { files } = renderRoot(root);
  const set = parse(files.get('_argocd/argocd/argocd/ApplicationSet.mastodon-instances.yaml')!);
  const elements: Record<string, string>[] = set.spec.generators[0].list.elements;

  test('utils.go:402-422 with missingkey=error: every element renders the template, leaving no template behind, into its instance\'s root', () => {
    expect(set.spec.goTemplate).toBe(true);
    expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(elements.map((e) => e.id)).toEqual(['a', 'b', 'c', 'd']);
    for (const element of elements) {
      const app = generate(set, element);
      expect(JSON.stringify(app)).not.toContain('{{');
      const own = parse(files.get(`${element.id}/bootstrap/Application.${element.id}-root.yaml`)!);
      expect(app.metadata.name).toBe(own.metadata.name);
      expect(app.spec.source).toEqual(own.spec.source);
      expect(app.spec.destination).toEqual(own.spec.destination);
    }
    // The model fails as the controller does on an element without a key the template uses.
    expect(() => generate(set, { id: 'a' })).toThrow('map has no entry for key "rolloutGroup"');
  });

  test('utils.go:294-302, applicationset_types.go:112-134, applicationset_controller.go:149-158: a generated root carries its own root\'s finalizers and no other; updates apply, but no root is deleted, neither when an instance leaves the list nor with the set', () => {
    expect(set.spec.syncPolicy.preserveResourcesOnDeletion).toBe(true);
    for (const element of elements) {
      const own = parse(files.get(`${element.id}/bootstrap/Application.${element.id}-root.yaml`)!);
      expect(generate(set, element).metadata.finalizers).toEqual(own.metadata.finalizers);
    }
    // Without preserveResourcesOnDeletion the controller would add one to a root without any.
    const bare = { ...set, spec: { ...set.spec, syncPolicy: {}, template: { ...set.spec.template, metadata: { ...set.spec.template.metadata, finalizers: undefined } } } };
    expect(generate(bare, elements[0]).metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    const policy = set.spec.syncPolicy.applicationsSync;
    expect({ update: ['create-update', 'sync'].includes(policy), delete: ['sync', 'create-delete'].includes(policy) }).toEqual({ update: true, delete: false });
  });

  test('progressive_sync.go:280-328, 525-569: every generated root is in exactly one RollingSync step, canary before early before main', () => {
    const steps = elements.map((element) => stepsOf(set, generate(set, element).metadata.labels ?? {}));
    expect(steps).toEqual([[0], [1], [2], [2]]);
    const groups = (set.spec.strategy.rollingSync.steps as any[]).map((s) => s.matchExpressions[0].values);
    expect(groups).toEqual([['canary'], ['early'], ['main']]);
    // An Application without the label is in no step, and would never be synced.
    expect(stepsOf(set, {})).toEqual([]);
  });
});
