package dev.taskwright.starter.plan;

import java.util.List;

/**
 * A task file that cannot start: every problem found in it, one line each. Nothing has been started
 * when this is thrown.
 */
public final class TaskFileException extends RuntimeException {

  private final String file;
  private final List<String> problems;

  TaskFileException(Problems problems) {
    super(problems.file() + ": " + count(problems.lines().size()), null, false, false);
    this.file = problems.file();
    this.problems = List.copyOf(problems.lines());
  }

  /** The file as the user named it. */
  public String file() {
    return file;
  }

  /** One line per problem: {@code file:line:column: task: what is wrong; what to change}. */
  public List<String> problems() {
    return problems;
  }

  private static String count(int n) {
    return n == 1 ? "1 problem" : n + " problems";
  }
}
