package dev.taskwright.starter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.support.TemporalFixture;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code taskwright_tasks{state=...}}: asked for on each scrape, and only then. */
class TaskCountsMetricsTest {

  @Test
  void taskCountsAreAskedOnEachScrapeAndPublishedByState() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    AtomicReference<Map<String, Long>> counts =
        new AtomicReference<>(Map.of("RUNNING", 3L, "BLOCKED", 1L));
    TaskCounts taskCounts =
        () -> {
          asked.incrementAndGet();
          Map<String, Long> current = counts.get();
          if (current == null) {
            throw new IllegalStateException("the ledger is down");
          }
          return current;
        };
    try (TemporalFixture temporal = TemporalFixture.start();
        WorkerMetrics metrics =
            WorkerMetrics.start(
                new MetricsAddress("127.0.0.1", 0), temporal.client(), taskCounts)) {
      assertThat(asked).as("nothing is asked before a scrape").hasValue(0);

      assertThat(Scrapes.samples(metrics.address()))
          .contains(
              "taskwright_tasks{state=\"RUNNING\",} 3.0",
              "taskwright_tasks{state=\"BLOCKED\",} 1.0");
      assertThat(asked).hasValue(1);

      counts.set(Map.of("BLOCKED", 2L));
      assertThat(Scrapes.samples(metrics.address()))
          .as("a state without tasks drops to zero")
          .contains(
              "taskwright_tasks{state=\"RUNNING\",} 0.0",
              "taskwright_tasks{state=\"BLOCKED\",} 2.0");

      counts.set(null);
      assertThat(Scrapes.samples(metrics.address()))
          .as("when counting fails the scrape is still served, with the last counts")
          .contains("taskwright_tasks{state=\"BLOCKED\",} 2.0");
      assertThat(asked).hasValue(3);
    }
  }

  @Test
  void withoutAnAddressNothingIsServedAndTheClientIsTheOneGiven() {
    try (TemporalFixture temporal = TemporalFixture.start();
        WorkerMetrics metrics =
            WorkerMetrics.start(null, temporal.client(), () -> Map.of("RUNNING", 1L))) {
      assertThat(metrics.address()).isNull();
      assertThat(metrics.client()).isSameAs(temporal.client());
    }
  }
}
