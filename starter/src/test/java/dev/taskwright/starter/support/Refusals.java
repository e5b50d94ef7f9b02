package dev.taskwright.starter.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

/**
 * What every refusal of bad input looks like: the documented exit code, nothing on stdout, one line
 * on stderr that starts with {@code taskwright: } and says what was wrong, and no stack trace or
 * exception class name, whatever the input was.
 */
public final class Refusals {
  private Refusals() {}

  /**
   * A stack frame, or a Java class name such as {@code NoSuchFileException} or {@code
   * java.lang.IllegalStateException}.
   */
  private static final Pattern JAVA_INTERNALS =
      Pattern.compile("(^|\\s)at [\\w.$]+\\(|\\b\\w*(Exception|Error)\\b|\\bjava\\.\\w");

  /** The refusal is one line on stderr with every phrase in it. */
  public static void assertRefused(CliRun.Result result, int exitCode, String... phrases) {
    assertRefusedIn(result, exitCode, 1, phrases);
  }

  /**
   * As {@link #assertRefused}, for a refusal of {@code lines} lines (a task file's problems, one
   * per line).
   */
  public static void assertRefusedIn(
      CliRun.Result result, int exitCode, int lines, String... phrases) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
    assertThat(result.out()).as("nothing on stdout: " + result).isEmpty();
    assertThat(result.err().strip().lines())
        .as("%d line(s) on stderr: %s", lines, result)
        .hasSize(lines)
        .allMatch(line -> line.startsWith("taskwright: "));
    assertNoStackTrace(result);
    assertThat(result.err()).as(result.toString()).contains(phrases);
  }

  /** No stack trace and no exception class names on stderr: what went wrong is told in words. */
  public static void assertNoStackTrace(CliRun.Result result) {
    assertThat(result.err())
        .as(result.toString())
        .doesNotContain("\tat ")
        .doesNotContainPattern(JAVA_INTERNALS);
  }
}
