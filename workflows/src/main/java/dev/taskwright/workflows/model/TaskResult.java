package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What a task workflow returns when it reaches a terminal state.
 *
 * @param mergeCommit the merge commit on the base branch when the task was accepted and merged,
 *     else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskResult(
    String id,
    TaskState state,
    TaskReason reason,
    String branch,
    List<String> commits,
    String summary,
    String sessionId,
    String error,
    Usage usage,
    String mergeCommit) {

  public TaskResult {
    commits = commits == null ? List.of() : List.copyOf(commits);
    usage = usage == null ? Usage.NONE : usage;
  }
}
