package dev.taskwright.ledger.read;

import dev.taskwright.workflows.model.TaskState;
import java.time.Instant;
import java.util.Set;

/**
 * Which tasks {@code list} shows. Null or empty fields do not filter.
 *
 * @param states only tasks in one of these states
 * @param repo only tasks in this repository
 * @param plan only tasks of this plan
 * @param parent only subtasks of this task
 * @param since only tasks created at or after this
 * @param limit at most this many, newest first
 */
public record TaskFilter(
    Set<TaskState> states, String repo, String plan, String parent, Instant since, int limit) {

  public TaskFilter {
    states = states == null ? Set.of() : Set.copyOf(states);
  }

  public static TaskFilter newest(int limit) {
    return new TaskFilter(Set.of(), null, null, null, null, limit);
  }
}
