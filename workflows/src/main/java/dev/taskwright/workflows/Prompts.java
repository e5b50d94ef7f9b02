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
  public static final String CONTINUE_AFTER_INTERRUPTION = "You were interrupted; continue where you left off.";

  /** Appended to a fresh run's system prompt so it does not repeat earlier attempts' mistakes. */
  public static String earlierFailures(List<String> failures) {
    if (failures.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder("Earlier attempts at this task failed. Avoid repeating these errors:\n");
    for (int i = 0; i < failures.size(); i++) {
      text.append(i + 1).append(". ").append(failures.get(i)).append('\n');
    }
    return text.toString();
  }
}
