package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What an accepted update returns: the task, what was done, and the state the task moved to.
 *
 * @param taskId the task
 * @param action the update's name ({@code answer}, {@code accept}, …)
 * @param state the state the task is in once the action took effect
 * @param message one line for the person who acted
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ActionReceipt(String taskId, String action, TaskState state, String message) {}
