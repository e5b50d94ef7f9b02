package dev.taskwright.workflows.model;

/** Input of {@code WorkspaceActivities.cleanup}: remove a finished task's worktree, keeping its branch. */
public record CleanupInput(String taskId, String repo, Workspace workspace) {}
