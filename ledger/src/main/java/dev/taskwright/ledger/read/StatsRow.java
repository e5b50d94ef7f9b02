package dev.taskwright.ledger.read;

import dev.taskwright.workflows.model.Usage;
import java.util.List;

/**
 * Totals for one day, repository or agent.
 *
 * @param key the day (yyyy-MM-dd, local time), the repository or the agent
 * @param tasks tasks created in the group
 * @param runs agent runs of those tasks
 * @param usage their turns, tokens (cache writes included) and cost, added up
 */
public record StatsRow(String key, long tasks, long runs, Usage usage) {

  /** Groups added up under {@code key}. */
  public static StatsRow total(String key, List<StatsRow> groups) {
    Usage usage = Usage.NONE;
    long tasks = 0;
    long runs = 0;
    for (StatsRow group : groups) {
      tasks += group.tasks;
      runs += group.runs;
      usage = usage.plus(group.usage);
    }
    return new StatsRow(key, tasks, runs, usage);
  }
}
