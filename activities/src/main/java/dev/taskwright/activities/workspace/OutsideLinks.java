package dev.taskwright.activities.workspace;

import java.util.Locale;

/**
 * What {@code commit} does with symbolic links the task's commits add that point outside the
 * worktree (to {@code /etc/passwd}, to the user's home): commit them and report them (the default),
 * or refuse the commit until a person removes them. Set by {@link #VARIABLE} in the worker's
 * environment.
 */
public enum OutsideLinks {
  /**
   * Commit them; they are reported in {@code CommitResult.outsideLinks} for status and the review.
   */
  WARN,
  /** Do not commit them: the task waits for a person to remove them. */
  REFUSE;

  public static final String VARIABLE = "TASKWRIGHT_OUTSIDE_LINKS";

  /**
   * The setting {@code value} names.
   *
   * @param value the variable's value; null or blank is the default, {@link #WARN}
   * @throws IllegalArgumentException with a message for the user when the value is unknown
   */
  public static OutsideLinks parse(String value) {
    if (value == null || value.isBlank()) {
      return WARN;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "warn" -> WARN;
      case "refuse" -> REFUSE;
      default ->
          throw new IllegalArgumentException(
              VARIABLE
                  + "='"
                  + Bounds.cut(value, 100)
                  + "' is not a known setting; set it to 'warn' (commit links that point outside"
                  + " the worktree and report them, the default) or 'refuse' (stop the task until"
                  + " they are removed)");
    };
  }
}
