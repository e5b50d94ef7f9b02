package dev.taskwright.starter.metrics;

import java.util.Map;

/**
 * How many tasks are in each state, published as {@code taskwright_tasks{state="RUNNING"}} and so
 * on. Asked on every scrape of {@code /metrics}, so it should answer quickly; a state missing from
 * the answer counts as zero. Temporal itself cannot say this cheaply (the in-process server has no
 * visibility listing at all), so the answer is meant to come from the ledger.
 */
@FunctionalInterface
public interface TaskCounts {

  /** Publishes no task counts: the worker has no ledger to ask. */
  TaskCounts NONE = Map::of;

  /** Task state name (a {@code TaskState}) to how many tasks are in it. */
  Map<String, Long> byState();
}
