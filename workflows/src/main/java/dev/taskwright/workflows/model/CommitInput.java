package dev.taskwright.workflows.model;

/** Input of {@code WorkspaceActivities.commit}: commit whatever the agent changed. */
public record CommitInput(String taskId, String title, Workspace workspace) {}
