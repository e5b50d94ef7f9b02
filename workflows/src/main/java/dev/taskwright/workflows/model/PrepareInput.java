package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Input of {@code WorkspaceActivities.prepare}: create or reuse the task's worktree.
 *
 * @param taskId the task
 * @param repo the repository
 * @param baseRef what the task branch starts from
 * @param alsoMerge commits merged into the new branch when it is created (the results of further
 *     dependencies in the same repository), in order; empty for most tasks
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PrepareInput(String taskId, String repo, String baseRef, List<String> alsoMerge) {

  public PrepareInput {
    alsoMerge = alsoMerge == null ? List.of() : List.copyOf(alsoMerge);
  }
}
