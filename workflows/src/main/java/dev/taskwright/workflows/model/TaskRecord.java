package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * One task as the ledger keeps it: the whole row, written again on every change so a write that
 * arrives late or twice never leaves the row half-updated.
 *
 * @param id the task ID
 * @param parentId the parent task of a subtask, else null
 * @param plan the plan (task file) the task came from, else null
 * @param title the task's one-line title
 * @param repo the repository the task works in
 * @param baseRef the ref the task branch started from
 * @param branch the task branch, once the worktree exists
 * @param agent the agent driver
 * @param model the model the agent was asked to use, or null for its default
 * @param state the task's state
 * @param reason why the task is BLOCKED or FAILED, else null
 * @param question the agent's open question, else null
 * @param summary the agent's summary of its work, else null
 * @param commits the commits on the task branch
 * @param usage turns, tokens and cost of all runs so far
 * @param error the last error, else null
 * @param createdAt when the task started
 * @param updatedAt when this row was written
 * @param finishedAt when the task reached a terminal state, else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskRecord(
    String id,
    String parentId,
    String plan,
    String title,
    String repo,
    String baseRef,
    String branch,
    String agent,
    String model,
    TaskState state,
    TaskReason reason,
    String question,
    String summary,
    List<String> commits,
    Usage usage,
    String error,
    Instant createdAt,
    Instant updatedAt,
    Instant finishedAt) {

  public TaskRecord {
    commits = commits == null ? List.of() : List.copyOf(commits);
    usage = usage == null ? Usage.NONE : usage;
  }
}
