package dev.taskwright.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What one ledger write carries: the task's whole row, and the transition or run that changed it.
 * Writes are idempotent and may arrive in any order: {@code sequence} orders the task rows and keys
 * the transitions.
 *
 * @param workflowRunId the Temporal run that wrote the entry; a restarted subtask is a new run
 * @param sequence this entry's number within that run, from 1
 * @param task the task row as it is after this change
 * @param transition the state change this entry records, else null
 * @param run the agent run this entry records (its start or its end), else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LedgerEntry(
    String workflowRunId,
    int sequence,
    TaskRecord task,
    TransitionRecord transition,
    RunRecord run) {}
