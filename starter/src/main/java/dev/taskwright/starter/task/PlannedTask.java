package dev.taskwright.starter.task;

import dev.taskwright.workflows.model.TaskSpec;

/**
 * A checked task, ready to start.
 *
 * @param spec the workflow input
 * @param baseCommit the SHA the base ref resolved to when the task was submitted
 * @param staticSummary what the Web UI shows as the workflow's summary: the title
 * @param staticDetails what the Web UI shows as the workflow's details: repo, base, agent, prompt
 *     head
 */
public record PlannedTask(
    TaskSpec spec, String baseCommit, String staticSummary, String staticDetails) {}
