package dev.taskwright.workflows;

import dev.taskwright.workflows.model.TaskView;
import java.util.Locale;

/** Renders a task's current details as the markdown the Temporal Web UI shows. */
public final class TaskDetails {
  private TaskDetails() {}

  public static String markdown(TaskView view) {
    StringBuilder md = new StringBuilder();
    md.append("**State:** ").append(view.state());
    if (view.reason() != null) {
      md.append(" (").append(view.reason()).append(')');
    }
    md.append("\n\n");
    if (view.attempts() > 0) {
      md.append("**Agent runs:** ").append(view.attempts()).append("  \n");
    }
    if (view.sessionId() != null) {
      md.append("**Session:** `").append(view.sessionId()).append("`  \n");
    }
    if (view.branch() != null) {
      md.append("**Branch:** `").append(view.branch()).append("`  \n");
    }
    if (view.worktreePath() != null) {
      md.append("**Worktree:** `").append(view.worktreePath()).append("`  \n");
    }
    if (!view.commits().isEmpty()) {
      md.append("**Commits:** ").append(String.join(", ", view.commits())).append("  \n");
    }
    if (view.usage().costUsd() > 0 || view.usage().totalTokens() > 0) {
      md.append("**Cost:** $")
          .append(String.format(Locale.ROOT, "%.4f", view.usage().costUsd()))
          .append(", ")
          .append(view.usage().totalTokens())
          .append(" tokens  \n");
    }
    if (view.lastError() != null) {
      md.append("\n**Last error:**\n\n```\n").append(abridge(view.lastError(), 1500)).append("\n```\n");
    }
    if (view.summary() != null) {
      md.append("\n**Summary:**\n\n").append(abridge(view.summary(), 2000)).append('\n');
    }
    return md.toString();
  }

  static String abridge(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }
}
