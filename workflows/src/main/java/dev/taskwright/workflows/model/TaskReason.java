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
  ABANDONED
}
