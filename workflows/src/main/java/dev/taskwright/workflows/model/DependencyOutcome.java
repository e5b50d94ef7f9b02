package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How a dependency finished, as it tells its subscribers (signal) or as a lookup finds it.
 *
 * @param taskId the dependency
 * @param state COMPLETED, FAILED or CANCELLED; null when no such task exists
 * @param repo the dependency's repository
 * @param branch its branch
 * @param headCommit its branch head when it finished (the result a dependent builds on), else null
 * @param detail one line for people: why it failed, or that it does not exist
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DependencyOutcome(
    String taskId, TaskState state, String repo, String branch, String headCommit, String detail) {

  /** A dependent may start from this dependency's work. */
  public boolean satisfied() {
    return state == TaskState.COMPLETED;
  }

  public static DependencyOutcome missing(String taskId) {
    return new DependencyOutcome(
        taskId, null, null, null, null, "task " + taskId + " does not exist");
  }
}
