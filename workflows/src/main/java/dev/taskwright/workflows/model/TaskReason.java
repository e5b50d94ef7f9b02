package dev.taskwright.workflows.model;

/** Qualifies a state: why a task is blocked or how it failed (DESIGN §2). */
public enum TaskReason {
  QUESTION,
  AGENT_FAILED,
  TIMED_OUT,
  BUDGET_EXCEEDED,
  MERGE_CONFLICT,
  DEPENDENCY_FAILED,
  SUBTASK_FAILED,
  /**
   * The worktree or branch needs a person's repair before the task can go on
   * (FailureType.WORKSPACE_NEEDS_REPAIR, GIT_REFUSED).
   */
  NEEDS_REPAIR,
  ABANDONED
}
