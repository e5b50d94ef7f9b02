package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Input of {@code WorkspaceActivities.cleanup}: remove a finished task's worktree, keeping its
 * branch.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CleanupInput(String taskId, String repo, Workspace workspace) {}
