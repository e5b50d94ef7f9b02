package dev.taskwright.workflows;

import java.util.List;

/** The words the workflow says to the agent between runs, in one place. */
public final class Prompts {
  private Prompts() {}

  /** What a resumed session is told after its run failed. */
  public static String retryAfterFailure(String error) {
    return "The previous attempt failed with: " + error + "\nTry again and fix the problem.";
  }

  /** What a resumed session is told after its worker died mid-run (used by the agent activity). */
  public static final String CONTINUE_AFTER_INTERRUPTION =
      "You were interrupted; continue where you left off.";

  /** What a resumed session is told when its usage limit has reset. */
  public static final String CONTINUE_AFTER_USAGE_LIMIT =
      "Your usage limit has reset; continue where you left off.";

  /** What a resumed session is told when its branch conflicts with the base branch. */
  public static String resolveMergeConflict(
      String baseBranch, List<String> files, String guidance) {
    StringBuilder text =
        new StringBuilder("Merge ")
            .append(baseBranch)
            .append(
                " into your branch and resolve the conflicts, then make sure the result builds.");
    if (!files.isEmpty()) {
      text.append(" The conflicting files were: ").append(String.join(", ", files)).append('.');
    }
    if (guidance != null && !guidance.isBlank()) {
      text.append("\n\n").append(guidance);
    }
    return text.toString();
  }

  /** Appended to a fresh run's system prompt so it does not repeat earlier attempts' mistakes. */
  public static String earlierFailures(List<String> failures) {
    if (failures.isEmpty()) {
      return "";
    }
    StringBuilder text =
        new StringBuilder("Earlier attempts at this task failed. Avoid repeating these errors:\n");
    for (int i = 0; i < failures.size(); i++) {
      text.append(i + 1).append(". ").append(failures.get(i)).append('\n');
    }
    return text.toString();
  }
}
