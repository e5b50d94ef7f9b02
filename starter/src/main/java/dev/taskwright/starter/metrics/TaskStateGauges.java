package dev.taskwright.starter.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code taskwright_tasks} gauge, one series per state. Which states exist is only known once
 * {@link TaskCounts} answers, so a series is registered the first time its state appears, and
 * {@link #refresh} runs just before each scrape instead of on a timer of its own: nothing is asked
 * while nobody is looking.
 */
final class TaskStateGauges {

  static final String NAME = "taskwright.tasks";
  static final String STATE_TAG = "state";

  private static final Logger log = LoggerFactory.getLogger(TaskStateGauges.class);

  private final MeterRegistry registry;
  private final TaskCounts counts;
  private final Map<String, AtomicLong> byState = new ConcurrentHashMap<>();

  TaskStateGauges(MeterRegistry registry, TaskCounts counts) {
    this.registry = registry;
    this.counts = counts;
  }

  /**
   * Asks for the counts and updates every series. A state that has no tasks any more drops to zero
   * rather than vanishing, so a graph shows it emptying. When asking fails, the last counts stay
   * and the rest of the scrape is still served.
   */
  void refresh() {
    Map<String, Long> current;
    try {
      current = counts.byState();
    } catch (RuntimeException e) {
      log.warn(
          "Could not count tasks by state for /metrics; taskwright_tasks keeps its last values", e);
      return;
    }
    byState.forEach((state, value) -> value.set(orZero(current.get(state))));
    current.forEach(
        (state, count) -> byState.computeIfAbsent(state, this::register).set(orZero(count)));
  }

  private static long orZero(Long count) {
    return count == null ? 0 : count;
  }

  private AtomicLong register(String state) {
    AtomicLong value = new AtomicLong();
    Gauge.builder(NAME, value, AtomicLong::get)
        .description("Tasks in each state")
        .tag(STATE_TAG, state)
        .strongReference(true)
        .register(registry);
    return value;
  }
}
