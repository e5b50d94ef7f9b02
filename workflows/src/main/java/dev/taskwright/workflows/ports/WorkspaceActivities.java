package dev.taskwright.workflows.ports;

import dev.taskwright.workflows.model.CleanupInput;
import dev.taskwright.workflows.model.CleanupResult;
import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.PrepareInput;
import dev.taskwright.workflows.model.Workspace;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Git worktrees. Every operation is idempotent: a second call after a crash returns what the
 * first call did, and nothing here ever deletes uncommitted work.
 */
@ActivityInterface
public interface WorkspaceActivities {

  /** Creates the task's worktree on branch {@code taskwright/<id>}, or returns the existing one. */
  @ActivityMethod
  Workspace prepare(PrepareInput input);

  /** Commits the worktree's changes, if any, and returns the commits of {@code baseCommit..HEAD}. */
  @ActivityMethod
  CommitResult commit(CommitInput input);

  /** Removes a finished task's worktree, keeping its branch; keeps a worktree with uncommitted changes. */
  @ActivityMethod
  CleanupResult cleanup(CleanupInput input);
}
