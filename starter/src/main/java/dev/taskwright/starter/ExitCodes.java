package dev.taskwright.starter;

/**
 * The CLI's exit codes (DESIGN §8), in one place so scripts can rely on them. Every command returns
 * one of these and nothing else.
 */
public final class ExitCodes {
  private ExitCodes() {}

  /** The command did what it was asked. */
  public static final int OK = 0;

  /** Something went wrong inside taskwright; rerun with {@code --verbose} for the stack trace. */
  public static final int INTERNAL = 1;

  /**
   * The command line or the task is wrong: usage, an invalid spec or task file, an invalid ID (on
   * any command), a path that is not a repository, text over the limit, a {@code TASKWRIGHT_HOME}
   * with no room for worktrees.
   */
  public static final int BAD_INPUT = 2;

  /** No task has that ID. */
  public static final int NOT_FOUND = 3;

  /**
   * The request does not fit the task's current state: an action the task refuses (answering a task
   * that asked nothing, accepting one that is not READY), cancelling a task that already ended, or
   * {@code run --id} with the ID of a task that already exists.
   */
  public static final int INVALID_STATE = 4;

  /**
   * Temporal, or something else the command needs, could not be reached: the {@code claude}
   * executable, a worker to take a person's action, or the task ledger's database. Also {@code dev}
   * when the server it starts cannot start (a port taken, a damaged database, the Temporal CLI
   * missing for {@code --temporal cli}).
   */
  public static final int UNREACHABLE = 5;

  /**
   * A followed task stopped short: it needs a person (BLOCKED; after {@code accept}, READY again
   * because the merge could not start) or ended FAILED or CANCELLED. {@code run --wait} and the
   * {@code --wait} of answer, reject and retry exit 0 at READY or COMPLETED; {@code accept} only at
   * COMPLETED.
   */
  public static final int TASK_NOT_SUCCESSFUL = 6;
}
