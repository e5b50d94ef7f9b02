package dev.taskwright.workflows.ports;

import dev.taskwright.workflows.model.LedgerEntry;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Writes the task ledger (PostgreSQL), which keeps every task, run and transition after Temporal's
 * retention has deleted the workflow. Every write is an idempotent upsert, so a retried or
 * reordered activity never duplicates or rolls back a row.
 */
@ActivityInterface
public interface LedgerActivities {

  /** Named for what it writes: a bare "Record" would be a vague activity type in the Web UI. */
  @ActivityMethod(name = "RecordInLedger")
  void record(LedgerEntry entry);
}
