package dev.taskwright.workflows;

/**
 * The one list of {@code ApplicationFailure} types taskwright raises. Non-retryable types mark
 * failures that no amount of retrying fixes.
 */
public enum FailureType {
  /** The task's input is wrong (no such repo, no such ref, bad ID); retrying cannot help. */
  INVALID_INPUT(false),
  /** The agent's executable is not installed on the worker host. */
  AGENT_NOT_INSTALLED(false),
  /** A git command failed for a reason that may pass (a lock file, a busy disk). */
  GIT_FAILED(true),
  /** The agent process could not be started or watched for a reason that may pass. */
  AGENT_INFRASTRUCTURE(true),
  /**
   * The task's worktree or branch is not as the task left it (the branch deleted, HEAD moved off
   * it, {@code .git} removed, files the agent wrote where git cannot see them, a link out of the
   * worktree refused): retrying cannot fix it, a person can. The task waits in BLOCKED/NEEDS_REPAIR
   * with the message, and {@code retry} tries the step again once repaired.
   */
  WORKSPACE_NEEDS_REPAIR(false),
  /**
   * git refused an operation in a way that retrying cannot fix (text it cannot store, an object it
   * cannot write). Like {@link #WORKSPACE_NEEDS_REPAIR}, the task waits for a person.
   */
  GIT_REFUSED(false),
  /**
   * A person's action was refused by the task's update validator for its text (a NUL character, a
   * lone surrogate: text git and PostgreSQL cannot store); nothing was recorded, and sending the
   * same text again cannot help.
   */
  ACTION_REFUSED(false),
  /** The ledger database cannot be reached now; the write is retried until it can. */
  LEDGER_UNAVAILABLE(true),
  /** The ledger database refused a write (a schema it does not know); retrying cannot help. */
  LEDGER_REJECTED(false);

  private final boolean retryable;

  FailureType(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The type string as it appears in {@code ApplicationFailure.getType()}. */
  public String type() {
    return name();
  }

  public static String[] nonRetryableTypes() {
    return java.util.Arrays.stream(values())
        .filter(t -> !t.retryable)
        .map(FailureType::type)
        .toArray(String[]::new);
  }
}
