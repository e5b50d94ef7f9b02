package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * What the {@code view} query returns: a task as it is now.
 *
 * @param question the agent's open question when BLOCKED/QUESTION, else null
 * @param attempts how many agent runs the task has had
 * @param rateLimitResetAt when a RATE_LIMITED task resumes, else null
 * @param mergeCommit the merge commit on the base branch once accepted and merged, else null
 * @param conflictFiles the conflicting paths when BLOCKED/MERGE_CONFLICT, else empty
 * @param actions what a person can do now (update and signal names), in the order to offer them
 * @param parentId the parent of a subtask, else null
 * @param children the task's subtasks with their states
 * @param dependencies the tasks this one waits for, with their states
 * @param warnings what a person should know before accepting (links out of the worktree), else
 *     empty
 */
@JsonIgnoreProperties(ignoreUnknown = true)
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
    Usage usage,
    Instant rateLimitResetAt,
    String mergeCommit,
    List<String> conflictFiles,
    List<String> actions,
    String parentId,
    List<TaskLink> children,
    List<TaskLink> dependencies,
    List<String> warnings) {

  public TaskView {
    commits = commits == null ? List.of() : List.copyOf(commits);
    usage = usage == null ? Usage.NONE : usage;
    conflictFiles = conflictFiles == null ? List.of() : List.copyOf(conflictFiles);
    actions = actions == null ? List.of() : List.copyOf(actions);
    children = children == null ? List.of() : List.copyOf(children);
    dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }
}
