package dev.taskwright.workflows;

import java.util.regex.Pattern;

/** Task ID rules, in one place for the CLI, the workflow and the activities. */
public final class TaskIds {
  private TaskIds() {}

  /** The rule for a top-level ID, as messages state it. */
  public static final String RULE =
      "1 to 63 lower-case letters, digits and dashes, starting with a letter or digit";

  /** How much of a wrong ID a message repeats: enough to recognise it, never a screenful. */
  static final int SHOWN_LENGTH = 70;

  /**
   * A top-level task ID: lower-case letters, digits and dashes; safe as a path segment and a branch
   * name.
   */
  public static final Pattern TOP_LEVEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  public static boolean isValid(String id) {
    return id != null && TOP_LEVEL.matcher(id).matches();
  }

  /**
   * Any task's ID: a top-level ID, or a subtask's {@code <parent>.<name>} (nested to any depth).
   * Each dot-separated segment starts with a letter or digit, so an ID is always one safe path
   * segment and a valid branch name, never {@code ..} or an option.
   */
  public static final Pattern ANY_TASK =
      Pattern.compile("[a-z0-9][a-z0-9-]{0,62}(\\.[a-z0-9][a-z0-9-]{0,62})*");

  public static boolean isValidTaskOrSubtask(String id) {
    return id != null && ANY_TASK.matcher(id).matches();
  }

  /** Why {@code id} is not a valid top-level task ID, or null when it is. */
  public static String problem(String id) {
    if (id == null || id.isEmpty()) {
      return "a task ID must not be empty";
    }
    if (isValid(id)) {
      return null;
    }
    return "task ID " + shown(id) + " is invalid: use " + RULE;
  }

  /**
   * Why {@code id} names no task at all (neither a top-level task nor a subtask), or null when it
   * could: what the commands that look a task up say before they ask anyone.
   */
  public static String problemWithAnyTask(String id) {
    if (isValidTaskOrSubtask(id)) {
      return null;
    }
    String which = id == null || id.isEmpty() ? "an empty task ID" : shown(id);
    return which + " is not a task ID: a task ID is " + RULE + " (a subtask's adds '.<name>')";
  }

  /**
   * {@code id} quoted for a one-line message: line breaks and other control characters escaped, so
   * a pasted ID cannot split the line or move the cursor, and cut after {@value #SHOWN_LENGTH}
   * characters with its length, so a huge one cannot flood the terminal.
   */
  public static String shown(String id) {
    if (id == null) {
      return "null";
    }
    StringBuilder shown = new StringBuilder("'");
    int end = Math.min(id.length(), SHOWN_LENGTH);
    for (int i = 0; i < end; i++) {
      char c = id.charAt(i);
      switch (c) {
        case '\n' -> shown.append("\\n");
        case '\r' -> shown.append("\\r");
        case '\t' -> shown.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            shown.append(String.format("\\u%04x", (int) c));
          } else {
            shown.append(c);
          }
        }
      }
    }
    shown.append('\'');
    if (id.length() > SHOWN_LENGTH) {
      shown.insert(shown.length() - 1, "…").append(" (").append(id.length()).append(" characters)");
    }
    return shown.toString();
  }
}
