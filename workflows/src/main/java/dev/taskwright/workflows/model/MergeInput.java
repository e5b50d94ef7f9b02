package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Input of {@code WorkspaceActivities.merge}: merge the task branch into its target with {@code
 * --no-ff}.
 *
 * @param taskId the task
 * @param title the task's title, for the merge commit message
 * @param repo the repository the task works in
 * @param targetBranch the branch to merge into (the task's base ref)
 * @param workspace the task's worktree and branch
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MergeInput(
    String taskId, String title, String repo, String targetBranch, Workspace workspace) {}
