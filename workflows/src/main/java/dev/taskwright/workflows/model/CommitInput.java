package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Input of {@code WorkspaceActivities.commit}: commit whatever the agent changed. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommitInput(String taskId, String title, Workspace workspace) {}
