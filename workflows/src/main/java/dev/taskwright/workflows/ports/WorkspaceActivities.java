package dev.taskwright.workflows.ports;

import dev.taskwright.workflows.model.CleanupInput;
import dev.taskwright.workflows.model.CleanupResult;
import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.MergeInput;
import dev.taskwright.workflows.model.MergeResult;
import dev.taskwright.workflows.model.PrepareInput;
import dev.taskwright.workflows.model.Workspace;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Git worktrees. Every operation is idempotent: a second call after a crash returns what the first
 * call did, and nothing here ever deletes uncommitted work.
 */
@ActivityInterface
public interface WorkspaceActivities {

  /** Creates the task's worktree on branch {@code taskwright/<id>}, or returns the existing one. */
  @ActivityMethod
  Workspace prepare(PrepareInput input);

  /**
   * Commits the worktree's changes, if any, and returns the commits of {@code baseCommit..HEAD}.
   */
  @ActivityMethod
  CommitResult commit(CommitInput input);

  /**
   * Merges the task branch into its target with {@code --no-ff}. Never leaves a checkout mid-merge:
   * a conflict is aborted and reported. A target branch checked out with local changes is reported
   * and left alone. A repeated call after the merge happened returns the same merge.
   */
  @ActivityMethod
  MergeResult merge(MergeInput input);

  /**
   * Removes a finished task's worktree, keeping its branch; keeps a worktree with uncommitted
   * changes.
   */
  @ActivityMethod
  CleanupResult cleanup(CleanupInput input);
}
