package dev.taskwright.activities.workspace;

import java.util.List;

/**
 * A git command failed, timed out or could not be started. The workspace activities turn it into
 * a retryable {@code GIT_FAILED} failure, because what makes git fail unexpectedly (a lock file
 * left by a crash, a full disk, a busy network file system) usually passes.
 */
public class GitCommandException extends RuntimeException {

  /** Enough of git's stderr to see the problem, small enough for a workflow history. */
  private static final int MAX_STDERR = 2_000;

  private final List<String> command;
  private final int exitCode;
  private final String stderr;

  /**
   * @param exitCode git's exit code, or -1 when git did not finish (not started, timed out)
   * @param stderr what git printed on stderr, or what went wrong when it did not finish
   */
  public GitCommandException(List<String> command, int exitCode, String stderr) {
    super(describe(command, exitCode, stderr));
    this.command = List.copyOf(command);
    this.exitCode = exitCode;
    this.stderr = shorten(stderr);
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
