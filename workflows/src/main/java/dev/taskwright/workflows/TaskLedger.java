package dev.taskwright.workflows;

import dev.taskwright.workflows.model.LedgerEntry;
import dev.taskwright.workflows.model.RunRecord;
import dev.taskwright.workflows.model.TaskRecord;
import dev.taskwright.workflows.model.TransitionRecord;
import dev.taskwright.workflows.ports.LedgerActivities;
import io.temporal.workflow.Async;
import io.temporal.workflow.CompletablePromise;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The workflow's side of the ledger: every change is written by an activity that the task does not
 * wait for, so a database outage never stalls a task. Before the workflow closes it waits for every
 * write, so nothing is lost: a write still retrying when the task ends keeps the workflow open
 * until the database is back.
 *
 * <p>Since version 1 of {@value #LOCAL_WRITES}, a write is first tried as a local activity, in the
 * worker that runs the workflow task: that costs the server one marker event instead of an
 * activity's three events and a workflow task of its own, which is most of what a simple task costs
 * the server (bench/RESULTS.md). A local write that fails, or takes longer than {@link
 * Timeouts#LEDGER_LOCAL_START_TO_CLOSE}, moves to the background activity, which retries until the
 * database is back; while any background write is pending, new writes go straight to the background
 * too, so an outage costs one short wait, not one per step.
 *
 * <p>Writes run in a detached cancellation scope, so cancelling a task does not cancel the writes
 * that record its cancellation.
 */
final class TaskLedger {

  private static final Logger log = Workflow.getLogger(TaskLedger.class);

  /** The version that added the ledger; histories from before it replay without ledger writes. */
  static final String CHANGE_ID = "ledger";

  /**
   * The version that tries each write as a local activity first; older histories replay without.
   */
  static final String LOCAL_WRITES = "ledger-local-writes";

  private final LedgerActivities activities =
      Workflow.newActivityStub(LedgerActivities.class, Timeouts.ledger());
  private final LedgerActivities localActivities =
      Workflow.newLocalActivityStub(LedgerActivities.class, Timeouts.ledgerLocal());
  private final List<Promise<Void>> pending = new ArrayList<>();
  private final List<Promise<Void>> background = new ArrayList<>();
  private final boolean enabled;
  private final boolean localFirst;
  private int sequence;

  private TaskLedger(boolean enabled, boolean localFirst) {
    this.enabled = enabled;
    this.localFirst = localFirst;
  }

  /** A ledger for this run: on for new workflows, off when replaying a history from before it. */
  static TaskLedger forThisRun() {
    int version = Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1);
    if (version < 1) {
      return new TaskLedger(false, false);
    }
    boolean localFirst = Workflow.getVersion(LOCAL_WRITES, Workflow.DEFAULT_VERSION, 1) >= 1;
    return new TaskLedger(true, localFirst);
  }

  /** Writes the task row, with the transition and run that changed it (either may be null). */
  void record(TaskRecord task, TransitionRecord transition, RunRecord run) {
    if (!enabled) {
      return;
    }
    LedgerEntry entry =
        new LedgerEntry(Workflow.getInfo().getRunId(), ++sequence, task, transition, run);
    pending.removeIf(TaskLedger::settled);
    background.removeIf(Promise::isCompleted);
    if (!localFirst || !background.isEmpty()) {
      pending.add(inBackground(entry));
      return;
    }
    CompletablePromise<Void> written = Workflow.newPromise();
    Workflow.newDetachedCancellationScope(
            () ->
                Async.procedure(localActivities::record, entry)
                    .handle(
                        (ignored, failure) -> {
                          if (failure == null) {
                            written.complete(null);
                          } else {
                            log.warn(
                                "A ledger write failed in this worker and is retried in the"
                                    + " background: {}",
                                failure.getMessage());
                            written.completeFrom(inBackground(entry));
                          }
                          return null;
                        }))
        .run();
    pending.add(written);
  }

  /** The write as an activity on the shared queue, retried until the database takes it. */
  private Promise<Void> inBackground(LedgerEntry entry) {
    List<Promise<Void>> started = new ArrayList<>(1);
    Workflow.newDetachedCancellationScope(
            () -> started.add(Async.procedure(activities::record, entry)))
        .run();
    background.add(started.get(0));
    return started.get(0);
  }

  /** True when {@code write} is done; a write that failed for good is logged as it is dropped. */
  private static boolean settled(Promise<Void> write) {
    if (!write.isCompleted()) {
      return false;
    }
    if (write.getFailure() != null) {
      log.error(
          "A ledger write failed for good and is missing from the ledger: {}",
          write.getFailure().getMessage());
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
