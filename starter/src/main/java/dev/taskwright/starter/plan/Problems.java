package dev.taskwright.starter.plan;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every problem found in one task file, each as one line: where (file, line, column, and the task
 * as a path like {@code tasks[1] (api) > subtasks[0] (handlers)}), what is wrong, and what to
 * change. All of them are collected, so one run of the CLI shows the whole list, in file order.
 */
final class Problems {

  /** Where a problem concerns the file's top-level keys rather than one task. */
  static final String TOP_LEVEL = "top level";

  private final String file;
  private final Set<Problem> found = new LinkedHashSet<>();

  Problems(String file) {
    this.file = file;
  }

  /**
   * A problem at {@code at} (null when it has no single place in the file). The same line twice is
   * kept once.
   */
  void add(YamlNode at, String where, String message) {
    int line = at == null ? 0 : at.line();
    int column = at == null ? 0 : at.column();
    found.add(new Problem(line, column, place(line, column) + ": " + where + ": " + message));
  }

  /** A problem with the YAML itself, before there are any tasks. */
  void syntax(int line, int column, String message) {
    found.add(new Problem(line, column, place(line, column) + ": " + message));
  }

  private String place(int line, int column) {
    return line <= 0 ? file : file + ":" + line + ":" + column;
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  /** The problems in file order; those without a place first. */
  List<String> lines() {
    return found.stream()
        .sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
        .map(Problem::text)
        .toList();
  }

  private record Problem(int line, int column, String text) {}

  String file() {
    return file;
  }
}
