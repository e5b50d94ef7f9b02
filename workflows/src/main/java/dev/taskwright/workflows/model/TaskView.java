package dev.taskwright.workflows.model;

import java.util.List;

/** What the {@code view} query returns: a task as it is now. */
public record TaskView(
    String id,
    String title,
    TaskState state,
    TaskReason reason,
    String repo,
    String baseRef,
    String agentType,
    Question question,
    int attempts,
    String sessionId,
    String worktreePath,
    String branch,
    String baseCommit,
    List<String> commits,
    String summary,
    String lastError,
    Usage usage) {

  public TaskView {
    commits = commits == null ? List.of() : List.copyOf(commits);
    usage = usage == null ? Usage.NONE : usage;
  }
}
