package dev.taskwright.workflows;

import dev.taskwright.workflows.model.LedgerEntry;
import dev.taskwright.workflows.model.RunRecord;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TransitionRecord;
import dev.taskwright.workflows.ports.LedgerActivities;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A ledger that keeps what the workflow wrote, so tests can check every transition and run was
 * recorded.
 */
final class RecordingLedger implements LedgerActivities {

  private final List<LedgerEntry> entries = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();

  @Override
  public void record(LedgerEntry entry) {
    if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      throw new IllegalStateException("the ledger's database is down (a scripted outage)");
    }
    entries.add(entry);
  }

  /** The next {@code writes} writes fail, as they do while the database is down. */
  void failNext(int writes) {
    failuresLeft.set(writes);
  }

  /** Every entry written for {@code taskId}, in the workflow's order. */
  List<LedgerEntry> entries(String taskId) {
    return entries.stream()
        .filter(e -> e.task().id().equals(taskId))
        .sorted(Comparator.comparingInt(LedgerEntry::sequence))
        .toList();
  }

  /** The states {@code taskId} went through, in order, as its transitions recorded them. */
  List<TaskState> states(String taskId) {
    return entries(taskId).stream()
        .map(LedgerEntry::transition)
        .filter(Objects::nonNull)
        .map(TransitionRecord::to)
        .toList();
  }

  /** The runs of {@code taskId} as their ends recorded them. */
  List<RunRecord> endedRuns(String taskId) {
    return entries(taskId).stream()
        .map(LedgerEntry::run)
        .filter(r -> r != null && r.isEnded())
        .toList();
  }
}
