package dev.taskwright.workflows;

import java.util.regex.Pattern;

/** Task ID rules, in one place for the CLI, the workflow and the activities. */
public final class TaskIds {
  private TaskIds() {}

  /** A top-level task ID: lower-case letters, digits and dashes; safe as a path segment and a branch name. */
  public static final Pattern TOP_LEVEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  public static boolean isValid(String id) {
    return id != null && TOP_LEVEL.matcher(id).matches();
  }

  /**
   * Any task's ID: a top-level ID, or a subtask's {@code <parent>.<name>} (nested to any depth).
   * Each dot-separated segment starts with a letter or digit, so an ID is always one safe path
   * segment and a valid branch name, never {@code ..} or an option.
   */
  public static final Pattern ANY_TASK = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}(\\.[a-z0-9][a-z0-9-]{0,62})*");

  public static boolean isValidTaskOrSubtask(String id) {
    return id != null && ANY_TASK.matcher(id).matches();
  }

  /** Why {@code id} is not a valid task ID, or null when it is. */
  public static String problem(String id) {
    if (id == null || id.isEmpty()) {
      return "a task ID must not be empty";
    }
    if (isValid(id)) {
      return null;
    }
    return "task ID '" + id + "' is invalid: use 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit";
  }
}
