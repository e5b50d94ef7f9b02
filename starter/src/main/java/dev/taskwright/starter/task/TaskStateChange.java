package dev.taskwright.starter.task;

import dev.taskwright.workflows.model.TaskState;

/**
 * A state a followed task entered.
 *
 * @param taskId the task
 * @param state the state it entered
 * @param run for RUNNING, which agent run of the task this is (1, 2, ...); 0 otherwise
 * @param detail for an ended task, its reason and the first line of its error; else null
 */
public record TaskStateChange(String taskId, TaskState state, int run, String detail) {}
