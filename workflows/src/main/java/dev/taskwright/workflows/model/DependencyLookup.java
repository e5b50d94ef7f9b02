package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What {@code TaskLookupActivities.lookup} found about a task.
 *
 * @param taskId the task looked up
 * @param exists false when no workflow has that ID
 * @param closed true when the task's workflow has closed; then {@code outcome} says how it ended
 * @param outcome how it finished, when closed, else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DependencyLookup(
    String taskId, boolean exists, boolean closed, DependencyOutcome outcome) {}
