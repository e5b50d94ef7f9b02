package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A task moving from one state to another.
 *
 * @param at when, in workflow time
 * @param from the state before, or null for the task's first entry
 * @param to the state after
 * @param reason why, when the new state has a reason
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TransitionRecord(Instant at, TaskState from, TaskState to, TaskReason reason) {}
