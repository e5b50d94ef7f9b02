package dev.taskwright.activities.workspace;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A git command failed, timed out or could not be started. The workspace activities turn it into a
 * retryable {@code GIT_FAILED} failure, because what makes git fail unexpectedly (a lock file left
 * by a crash, a full disk, a busy network file system) usually passes.
 *
 * <p>The exception is a failure git gives the same way on every attempt ({@link #refused()}): text
 * it cannot store (a NUL byte in a message), a transport its configuration forbids. Retrying that
 * would loop for ever, so it becomes the non-retryable {@code GIT_REFUSED}, with what to do.
 */
public class GitCommandException extends RuntimeException {

  /** What git prints when it refuses something it will refuse again on every retry. */
  private static final Pattern REFUSALS =
      Pattern.compile(
          "NUL byte in (commit log )?message not allowed|transport '[^']*' not allowed|contains NUL"
              + " byte");

  /** Enough of git's stderr to see the problem, small enough for a workflow history. */
  private static final int MAX_STDERR = 2_000;

  private final List<String> command;
  private final int exitCode;
  private final String stderr;
  private final boolean refused;

  /**
   * @param exitCode git's exit code, or -1 when git did not finish (not started, timed out)
   * @param stderr what git printed on stderr, or what went wrong when it did not finish
   */
  public GitCommandException(List<String> command, int exitCode, String stderr) {
    this(
        describe(command, exitCode, stderr),
        command,
        exitCode,
        stderr,
        exitCode >= 0 && stderr != null && REFUSALS.matcher(stderr).find());
  }

  private GitCommandException(
      String message, List<String> command, int exitCode, String stderr, boolean refused) {
    super(message);
    this.command = List.copyOf(command);
    this.exitCode = exitCode;
    this.stderr = shorten(stderr);
    this.refused = refused;
  }

  /**
   * A failure git will give on every retry, with what the user can do about it.
   *
   * @param whatToDo appended to the message after a semicolon
   */
  static GitCommandException refused(
      List<String> command, int exitCode, String stderr, String whatToDo) {
    return new GitCommandException(
        describe(command, exitCode, stderr) + "; " + whatToDo, command, exitCode, stderr, true);
  }

  /** True when git refused in a way that retrying cannot change. */
  public boolean refused() {
    return refused;
  }

  public List<String> command() {
    return command;
  }

  public String commandLine() {
    return String.join(" ", command);
  }

  public int exitCode() {
    return exitCode;
  }

  public String stderr() {
    return stderr;
  }

  private static String describe(List<String> command, int exitCode, String stderr) {
    String outcome = exitCode >= 0 ? "failed with exit code " + exitCode : "failed";
    String detail = shorten(stderr);
    return String.join(" ", command) + " " + outcome + (detail.isEmpty() ? "" : ": " + detail);
  }

  private static String shorten(String text) {
    String stripped = text == null ? "" : text.strip();
    return stripped.length() <= MAX_STDERR ? stripped : stripped.substring(0, MAX_STDERR) + "…";
  }
}
