import { fieldsKeptLive, howArgoCdWrites, isKeptLive } from './argocd-apply';
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

/**
 * A changed resource with immutable fields changed that Argo CD handles without an update: it
 * deletes and creates the object again, or applies the live value of those fields.
 */
export interface Recreation {
  readonly id: ResourceId;
  readonly file: string;
  readonly fields: readonly string[];
  /** What Argo CD does: `recreated` or `kept as live`. */
  readonly outcome: 'recreated' | 'kept as live';
  readonly because: string;
}

export interface ImmutableChanges {
  readonly rejected: readonly Rejection[];
  readonly recreated: readonly Recreation[];
}

export const NO_IMMUTABLE_CHANGES: ImmutableChanges = { rejected: [], recreated: [] };

/**
 * The changed resources of `diff` that change a field the API server will not update, split into
 * those Argo CD recreates (hooks with BeforeHookCreation, Force=true,Replace=true) or keeps as
 * live (`ignoreDifferences` with RespectIgnoreDifferences in the Applications among `rendered`,
 * the new tree's objects) and those whose sync fails. Added and removed resources are creates and
 * deletes: nothing to reject.
 */
export function immutableChanges(diff: TreeDiff, rendered: Iterable<unknown> = []): ImmutableChanges {
  const rejected: Rejection[] = [];
  const recreated: Recreation[] = [];
  const keptLive = fieldsKeptLive(rendered);
  for (const r of diff.resources) {
    if (r.change !== 'changed' || !r.objects) continue;
    const before = r.objects.before as KubeObject;
    const after = r.objects.after as KubeObject;
    const changed = rulesFor(r.id.apiVersion, r.id.kind)
      .map((rule) => ({ rule, fields: rule.rejected(before, after) }))
      .filter((v) => v.fields.length > 0);
    const violations = changed
      .map((v) => ({ ...v, fields: v.fields.filter((f) => !isKeptLive(keptLive, r.id, f)) }))
      .filter((v) => v.fields.length > 0);
    if (violations.length === 0) {
      if (changed.length > 0) {
        recreated.push({ id: r.id, file: r.file, fields: changed.flatMap((v) => v.fields), outcome: 'kept as live',
          because: 'its Application ignores these fields with `RespectIgnoreDifferences=true`, so Argo CD applies the live values' });
      }
      continue;
    }
    const write = howArgoCdWrites(before, after);
    if (write.recreates) recreated.push({ id: r.id, file: r.file, fields: violations.flatMap((v) => v.fields), outcome: 'recreated', because: write.because });
    else rejected.push({ id: r.id, file: r.file, violations, ...(write.note ? { note: write.note } : {}) });
  }
  return { rejected, recreated };
}
