package dev.taskwright.starter;

/**
 * A failure the user can act on: the message is one line that says what was wrong and what to do,
 * and it is printed without a stack trace.
 */
public final class CliException extends RuntimeException {

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  public static CliException badInput(String message) {
    return new CliException(ExitCodes.BAD_INPUT, message);
  }

  public static CliException notFound(String taskId) {
    return new CliException(
        ExitCodes.NOT_FOUND,
        "no task '"
            + taskId
            + "' on this Temporal server (check the ID; closed tasks disappear after the"
            + " namespace's retention period)");
  }
}
