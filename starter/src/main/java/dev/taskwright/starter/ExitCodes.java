package dev.taskwright.starter;

/**
 * The CLI's exit codes (DESIGN §8), in one place so scripts can rely on them. Every command
 * returns one of these and nothing else.
 */
public final class ExitCodes {
  private ExitCodes() {}

  /** The command did what it was asked. */
  public static final int OK = 0;
  /** Something went wrong inside taskwright; rerun with {@code --verbose} for the stack trace. */
  public static final int INTERNAL = 1;
  /** The command line or the task is wrong: usage, an invalid spec, an invalid ID, a path that is not a repository. */
  public static final int BAD_INPUT = 2;
  /** No task has that ID. */
  public static final int NOT_FOUND = 3;
  /**
   * The request does not fit the task's current state: cancelling a task that already ended, or
   * {@code run --id} with the ID of a task that already exists.
   */
  public static final int INVALID_STATE = 4;
  /** Temporal (or a tool the command needs, such as the {@code claude} executable) could not be reached. */
  public static final int UNREACHABLE = 5;
  /** {@code run --wait} followed the task to an end other than READY or COMPLETED (FAILED, CANCELLED). */
  public static final int TASK_NOT_SUCCESSFUL = 6;
}
