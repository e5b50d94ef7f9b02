package dev.taskwright.workflows.model;

/** Input of {@code WorkspaceActivities.prepare}: create or reuse the task's worktree. */
public record PrepareInput(String taskId, String repo, String baseRef) {}
