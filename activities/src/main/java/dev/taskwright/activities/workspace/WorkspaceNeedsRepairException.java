package dev.taskwright.activities.workspace;

/**
 * The task's worktree or branch is not as the task left it, in a way only a person can put right
 * (the branch deleted, HEAD moved off it, {@code .git} removed, work git cannot see, a link out of
 * the worktree refused). The message says what is wrong and the command that repairs it; the
 * activity fails with the non-retryable {@code WORKSPACE_NEEDS_REPAIR}, and the same activity
 * succeeds once the person has run it.
 */
final class WorkspaceNeedsRepairException extends RuntimeException {

  WorkspaceNeedsRepairException(String message) {
    super(message);
  }
}
