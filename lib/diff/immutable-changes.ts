import { howArgoCdWrites } from './argocd-apply';
import { ResourceId, TreeDiff } from './compare';
import { ImmutableFieldRule, KubeObject, rulesFor } from './kubernetes-immutable-fields';

/** A changed resource whose update the API server refuses: Argo CD's sync fails on it. */
export interface Rejection {
  readonly id: ResourceId;
  readonly file: string;
  /** The immutable fields that changed, each with the rule that makes it so. */
  readonly violations: readonly { readonly fields: readonly string[]; readonly rule: ImmutableFieldRule }[];
  /** Why Argo CD's own options do not help here (`Replace=true` alone), when they are set. */
  readonly note?: string;
}

/** A changed resource with immutable fields changed that Argo CD deletes and creates again. */
export interface Recreation {
  readonly id: ResourceId;
  readonly file: string;
  readonly fields: readonly string[];
  readonly because: string;
}

export interface ImmutableChanges {
  readonly rejected: readonly Rejection[];
  readonly recreated: readonly Recreation[];
}

export const NO_IMMUTABLE_CHANGES: ImmutableChanges = { rejected: [], recreated: [] };

/**
 * The changed resources of `diff` that change a field the API server will not update, split into
 * those Argo CD recreates (hooks with BeforeHookCreation, Force=true,Replace=true) and those whose
 * sync fails. Added and removed resources are creates and deletes: nothing to reject.
 */
export function immutableChanges(diff: TreeDiff): ImmutableChanges {
  const rejected: Rejection[] = [];
  const recreated: Recreation[] = [];
  for (const r of diff.resources) {
    if (r.change !== 'changed' || !r.objects) continue;
    const before = r.objects.before as KubeObject;
    const after = r.objects.after as KubeObject;
    const violations = rulesFor(r.id.apiVersion, r.id.kind)
      .map((rule) => ({ rule, fields: rule.rejected(before, after) }))
      .filter((v) => v.fields.length > 0);
    if (violations.length === 0) continue;
    const write = howArgoCdWrites(before, after);
    if (write.recreates) recreated.push({ id: r.id, file: r.file, fields: violations.flatMap((v) => v.fields), because: write.because });
    else rejected.push({ id: r.id, file: r.file, violations, ...(write.note ? { note: write.note } : {}) });
  }
  return { rejected, recreated };
}
