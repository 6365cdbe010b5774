/**
 * Contract: how Argo CD v3.5.1 writes an object that is live under the same name, as encoded in
 * lib/diff/argocd-apply.ts (gitops-engine in argoproj/argo-cd@v3.5.1):
 * - pkg/sync/hook/hook.go:26-41 (IsHook, Skip), pkg/sync/hook/delete_policy.go:11-26 (no policy =
 *   BeforeHookCreation), pkg/sync/sync_task.go:121-136 (deleteBeforeCreation),
 *   pkg/sync/resource/annotations.go:16-43 (comma-separated options, trimmed),
 *   pkg/sync/common/types.go:12-18,28,32,116-145 (annotation keys, options, hook types and policies),
 *   pkg/sync/sync_context.go:1031-1037 (live hook attached), 1400-1401 and 1418-1438
 *   (Replace=true → kubectl replace, with Force=true → replace --force; otherwise apply).
 */
import { hookDeletePolicies, howArgoCdWrites, isHook } from '../../lib/diff/argocd-apply';

const annotated = (annotations: Record<string, string>) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', annotations } });

describe('hooks', () => {
  test('GIVEN the hook annotation THEN it is a hook, unless its only type is Skip (hook.go:26-41)', () => {
    expect(isHook(annotated({ 'argocd.argoproj.io/hook': 'PreSync' }))).toBe(true);
    expect(isHook(annotated({ 'argocd.argoproj.io/hook': 'Skip' }))).toBe(false);
    expect(isHook(annotated({ 'argocd.argoproj.io/hook': 'Skip,PostSync' }))).toBe(true);
    expect(isHook(annotated({}))).toBe(false);
  });

  test('GIVEN no delete policy THEN BeforeHookCreation (delete_policy.go:22-24); a list is split on commas and trimmed (annotations.go:16-32)', () => {
    expect(hookDeletePolicies(annotated({ 'argocd.argoproj.io/hook': 'PreSync' }))).toEqual(['BeforeHookCreation']);
    expect(hookDeletePolicies(annotated({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookFailed, BeforeHookCreation' }))).toEqual(['HookFailed', 'BeforeHookCreation']);
  });

  test('GIVEN a hook with BeforeHookCreation (explicit or by default) THEN Argo CD recreates it (sync_task.go:134-136)', () => {
    const explicit = annotated({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookFailed' });
    expect(howArgoCdWrites(explicit, explicit)).toMatchObject({ recreates: true });
    const byDefault = annotated({ 'argocd.argoproj.io/hook': 'PreSync' });
    expect(howArgoCdWrites(byDefault, byDefault)).toMatchObject({ recreates: true, because: expect.stringContaining('(the default)') });
  });

  test('GIVEN a hook with only HookFailed THEN Argo CD applies over the live one (sync_context.go:1031-1037, 1438)', () => {
    const hook = annotated({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookFailed' });
    expect(howArgoCdWrites(hook, hook)).toEqual({ recreates: false, note: expect.stringContaining('only BeforeHookCreation deletes it first') });
  });

  test('GIVEN a hook with HookSucceeded THEN it was deleted after its successful run and is created anew', () => {
    const hook = annotated({ 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' });
    expect(howArgoCdWrites(hook, hook)).toMatchObject({ recreates: true });
  });
});

describe('sync options (sync_context.go:1400-1401, 1418-1438)', () => {
  test('GIVEN Force=true,Replace=true on the new or the live object THEN Argo CD deletes and recreates it', () => {
    const both = annotated({ 'argocd.argoproj.io/sync-options': 'Force=true,Replace=true' });
    expect(howArgoCdWrites(annotated({}), both)).toMatchObject({ recreates: true });
    expect(howArgoCdWrites(both, annotated({}))).toMatchObject({ recreates: true });
  });

  test('GIVEN Replace=true alone THEN it is a kubectl replace, an update the API server validates: not recreated', () => {
    const replace = annotated({ 'argocd.argoproj.io/sync-options': 'Replace=true' });
    expect(howArgoCdWrites(replace, replace)).toEqual({ recreates: false, note: expect.stringContaining('Force=true,Replace=true') });
  });

  test('GIVEN no option THEN applied in place', () => {
    expect(howArgoCdWrites(annotated({}), annotated({ 'argocd.argoproj.io/sync-options': 'Prune=false' }))).toEqual({ recreates: false });
  });
});
