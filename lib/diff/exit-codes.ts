import { isEmpty, TreeDiff } from './compare';
import { ImmutableChanges } from './immutable-changes';

/**
 * Exit codes of `mastodon-cdk8s diff` (README "Reviewing changes", `diff --help`, .ci/run and
 * .github/workflows/ci.yml rely on them).
 */
export const DIFF_EXIT = {
  /** The trees match. */
  same: 0,
  /** They differ. */
  differs: 1,
  /** The comparison could not be made: bad config, an unreadable tree, a bad --base or option. */
  error: 2,
  /** They differ, and some change will be rejected by the API server (Argo CD's sync fails). */
  rejected: 3,
} as const;

export const DIFF_EXIT_HELP = `exit codes: ${DIFF_EXIT.same} no differences, ${DIFF_EXIT.differs} differences, ${DIFF_EXIT.error} error (bad config, unreadable tree, bad --base or option), ${DIFF_EXIT.rejected} differences that include changes the API server will reject (Argo CD's sync would fail)`;

export function diffExitCode(diff: TreeDiff, immutable: ImmutableChanges): number {
  if (isEmpty(diff)) return DIFF_EXIT.same;
  return immutable.rejected.length > 0 ? DIFF_EXIT.rejected : DIFF_EXIT.differs;
}
