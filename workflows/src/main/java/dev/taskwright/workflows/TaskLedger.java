package dev.taskwright.workflows;

import dev.taskwright.workflows.model.LedgerEntry;
import dev.taskwright.workflows.model.RunRecord;
import dev.taskwright.workflows.model.TaskRecord;
import dev.taskwright.workflows.model.TransitionRecord;
import dev.taskwright.workflows.ports.LedgerActivities;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The workflow's side of the ledger: every change is written by an activity that the task does
 * not wait for, so a database outage never stalls a task. Before the workflow closes it waits for
 * every write, so nothing is lost: a write still retrying when the task ends keeps the workflow
 * open until the database is back.
 *
 * <p>Writes run in a detached cancellation scope, so cancelling a task does not cancel the writes
 * that record its cancellation.
 */
final class TaskLedger {

  private static final Logger log = Workflow.getLogger(TaskLedger.class);

  /** The version that added the ledger; histories from before it replay without ledger writes. */
  static final String CHANGE_ID = "ledger";

  private final LedgerActivities activities = Workflow.newActivityStub(LedgerActivities.class, Timeouts.ledger());
  private final List<Promise<Void>> pending = new ArrayList<>();
  private final boolean enabled;
  private int sequence;

  private TaskLedger(boolean enabled) {
    this.enabled = enabled;
  }

  /** A ledger for this run: on for new workflows, off when replaying a history from before it. */
  static TaskLedger forThisRun() {
    int version = Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1);
    return new TaskLedger(version >= 1);
  }

  /** Writes the task row, with the transition and run that changed it (either may be null). */
  void record(TaskRecord task, TransitionRecord transition, RunRecord run) {
    if (!enabled) {
      return;
    }
    LedgerEntry entry = new LedgerEntry(Workflow.getInfo().getRunId(), ++sequence, task, transition, run);
    pending.removeIf(TaskLedger::settled);
    Workflow.newDetachedCancellationScope(() -> pending.add(Async.procedure(activities::record, entry))).run();
  }

  /** True when {@code write} is done; a write that failed for good is logged as it is dropped. */
  private static boolean settled(Promise<Void> write) {
    if (!write.isCompleted()) {
      return false;
    }
    if (write.getFailure() != null) {
      log.error("A ledger write failed for good and is missing from the ledger: {}", write.getFailure().getMessage());
    }
    return true;
  }

  /**
   * Waits until every write has landed. A write the database refused for good is logged and left
   * out: the task's outcome never depends on its ledger.
   */
  void flush() {
    Promise.allOf(pending).handle((ignored, failure) -> null).get();
    pending.removeIf(TaskLedger::settled);
  }
}
