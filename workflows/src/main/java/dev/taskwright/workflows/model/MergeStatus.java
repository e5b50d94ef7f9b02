package dev.taskwright.workflows.model;

/** How a merge of a task branch into its target ended. */
public enum MergeStatus {
  /** The target branch now holds the merge commit (or already held it, on a repeated call). */
  MERGED,
  /** The branches conflict; the merge was aborted and nothing was left half-merged. */
  CONFLICT,
  /** The target branch is checked out with local changes; nothing was touched. */
  TARGET_DIRTY,
  /** The target is not a local branch (a tag, a commit, a missing branch); nothing was touched. */
  TARGET_NOT_A_BRANCH
}
