package dev.taskwright.workflows.model;

/**
 * Where a task is in its lifecycle (DESIGN §2). The name is also the {@code TaskState} search
 * attribute value.
 */
public enum TaskState {
  QUEUED,
  WAITING,
  PREPARING,
  RUNNING,
  RATE_LIMITED,
  BLOCKED,
  WAITING_SUBTASKS,
  COMMITTING,
  READY,
  MERGING,
  COMPLETED,
  FAILED,
  CANCELLED;

  /** True for the states a task never leaves. */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
