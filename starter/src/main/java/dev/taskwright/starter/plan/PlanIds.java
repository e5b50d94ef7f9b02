package dev.taskwright.starter.plan;

import dev.taskwright.workflows.TaskIds;
import java.util.Locale;

/**
 * The ID rule for tasks in a file, with a reason that says exactly what is wrong. A top-level ID is
 * a task ID ({@link TaskIds}); a subtask's {@code id} is its short name under the same rule, and
 * its task ID becomes {@code <parent>.<id>}.
 */
final class PlanIds {
  private PlanIds() {}

  static final int MAX_LENGTH = 63;
  private static final String RULE =
      "use 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit";

  /** What is wrong with {@code id}, and what to write instead; null when it is valid. */
  static String problem(String id, boolean subtask) {
    if (TaskIds.isValid(id)) {
      return null;
    }
    String quoted = "id '" + id + "'";
    if (subtask && id.contains(".") && !id.contains("..")) {
      return quoted
          + " contains a dot; a subtask's id is its short name (its task ID '<parent>.<id>' is made"
          + " for you), so write only the part after the last dot";
    }
    if (id.length() > MAX_LENGTH) {
      return quoted
          + " is "
          + id.length()
          + " characters long; shorten it to at most "
          + MAX_LENGTH;
    }
    String why;
    if (id.contains("..")) {
      why = quoted + " contains '..'";
    } else if (id.contains("/") || id.contains("\\")) {
      why = quoted + " contains a slash";
    } else if (id.contains(".")) {
      why =
          quoted
              + " contains a dot; dots only join a parent's ID to a subtask's, so nest it under"
              + " 'subtasks:' or drop the dot";
    } else if (id.startsWith("-")) {
      why = quoted + " starts with '-'";
    } else if (!id.equals(id.toLowerCase(Locale.ROOT))) {
      String lower = id.toLowerCase(Locale.ROOT);
      return quoted
          + " has upper-case letters"
          + (TaskIds.isValid(lower) ? "; write '" + lower + "'" : "; " + RULE);
    } else {
      why = quoted + " has characters other than lower-case letters, digits and dashes";
    }
    return why + "; " + RULE;
  }
}
