package dev.taskwright.workflows;

import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TaskView;
import java.util.Locale;

/**
 * Renders a task's current details as the markdown the Temporal Web UI shows: the state, what the
 * task waits for, and exactly how to act on it from the CLI or with a signal.
 */
public final class TaskDetails {
  private TaskDetails() {}

  /**
   * How a task refuses an action while it works on its own (committing, merging, running): the CLI
   * adds no "what fits now" to such a refusal, since what fits a moment later is not an answer.
   */
  public static final String NOTHING_WHILE_BUSY = "nothing can be done while";

  /**
   * The warning for links in the task's commits that point out of its worktree, before the list of
   * them.
   */
  public static final String OUTSIDE_LINKS = "links out of the worktree: ";

  public static String markdown(TaskView view) {
    StringBuilder md = new StringBuilder();
    md.append("**State:** ").append(view.state());
    if (view.reason() != null) {
      md.append(" (").append(view.reason()).append(')');
    }
    md.append("\n\n");
    if (view.question() != null) {
      md.append("**The agent asks:** ")
          .append(abridge(view.question().text(), 2000))
          .append("\n\n");
      for (String option : view.question().options()) {
        md.append("- ").append(abridge(option, 300)).append('\n');
      }
      if (!view.question().options().isEmpty()) {
        md.append('\n');
      }
    }
    if (view.rateLimitResetAt() != null) {
      md.append("**Usage limit:** resumes at ").append(view.rateLimitResetAt()).append("\n\n");
    }
    if (!view.conflictFiles().isEmpty()) {
      md.append("**Conflicting files:** ")
          .append(String.join(", ", view.conflictFiles()))
          .append("\n\n");
    }
    for (String warning : view.warnings()) {
      md.append("**Warning:** ").append(abridge(warning, 2000)).append("\n\n");
    }
    if (!view.actions().isEmpty()) {
      md.append("**To act:**\n\n");
      for (String action : view.actions()) {
        md.append("- `")
            .append(command(view.id(), action))
            .append("` — or signal `")
            .append(action)
            .append("` with ")
            .append(signalPayload(action))
            .append('\n');
      }
      md.append('\n');
    }
    if (view.attempts() > 0) {
      md.append("**Agent runs:** ").append(view.attempts()).append("  \n");
    }
    if (view.sessionId() != null) {
      md.append("**Session:** `").append(view.sessionId()).append("`  \n");
    }
    if (view.branch() != null) {
      md.append("**Branch:** `").append(view.branch()).append("`  \n");
    }
    if (view.worktreePath() != null && view.state() != TaskState.COMPLETED) {
      md.append("**Worktree:** `").append(view.worktreePath()).append("`  \n");
    }
    if (!view.commits().isEmpty()) {
      md.append("**Commits:** ").append(String.join(", ", view.commits())).append("  \n");
    }
    if (view.mergeCommit() != null) {
      md.append("**Merged as:** ").append(view.mergeCommit()).append("  \n");
    }
    if (view.usage().costUsd() > 0 || view.usage().totalTokens() > 0) {
      md.append("**Cost:** $")
          .append(String.format(Locale.ROOT, "%.4f", view.usage().costUsd()))
          .append(", ")
          .append(view.usage().totalTokens())
          .append(" tokens  \n");
    }
    if (view.lastError() != null) {
      md.append("\n**Last error:**\n\n```\n")
          .append(abridge(view.lastError(), 1500))
          .append("\n```\n");
    }
    if (view.summary() != null) {
      md.append("\n**Summary:**\n\n").append(abridge(view.summary(), 2000)).append('\n');
    }
    return md.toString();
  }

  /** The CLI command for {@code action} on task {@code id}, with a placeholder where words go. */
  public static String command(String id, String action) {
    return switch (action) {
      case Names.ANSWER -> "taskwright answer " + id + " \"<your answer>\"";
      case Names.REJECT -> "taskwright reject " + id + " \"<what to change>\"";
      case Names.RETRY -> "taskwright retry " + id + " [\"<guidance>\"]";
      case Names.ABANDON -> "taskwright abandon " + id + " [\"<reason>\"]";
      default -> "taskwright " + action + " " + id;
    };
  }

  private static String signalPayload(String action) {
    return switch (action) {
      case Names.ANSWER -> "`\"<your answer>\"`";
      case Names.REJECT -> "`\"<what to change>\"`";
      case Names.RETRY -> "`\"<guidance>\"` or `null`";
      case Names.ABANDON -> "`\"<reason>\"` or `null`";
      default -> "`null`";
    };
  }

  static String abridge(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }
}
