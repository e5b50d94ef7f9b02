package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Another task as this one sees it: a child or a dependency, with its last known state.
 *
 * @param taskId the other task
 * @param state its state as last heard (null before anything was heard)
 * @param detail one line: why it failed, or what it waits for; else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskLink(String taskId, TaskState state, String detail) {}
