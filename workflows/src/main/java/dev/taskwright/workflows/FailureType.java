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
  AGENT_INFRASTRUCTURE(true);

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
    return java.util.Arrays.stream(values()).filter(t -> !t.retryable).map(FailureType::type).toArray(String[]::new);
  }
}
