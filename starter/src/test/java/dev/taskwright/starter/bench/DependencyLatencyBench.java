package dev.taskwright.starter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.TaskSandbox;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How long after a dependency completes its dependent's agent starts, on the in-process Temporal
 * server: 50 pairs A → B run one after another, both by the {@code command} driver (A sleeps a
 * second, so B is already waiting on its signal). Not part of the test suite (the name matches no
 * Surefire include); {@code bench/dependency-latency.sh} runs it and records the figures.
 *
 * <p>"Dependency satisfied" is the server's time of A's last search-attribute upsert, the one that
 * set {@code TaskState=COMPLETED} (A's workflow task that decided it completed and signalled B).
 * "Dependent's agent started" is the wall-clock time B's {@code agent.pid} record appears, polled
 * every millisecond. Both clocks are this machine's.
 */
class DependencyLatencyBench {

  static final int PAIRS = 50;
  static final Path RESULT = Path.of("target", "bench", "dependency-latency.txt");

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withWorker();

  @Test
  void dependencyToDependentAgentLatency() throws Exception {
    String slow = sandbox.script("slow", "sleep 1\necho done > a.txt\n");
    String quick = sandbox.script("quick", "echo done > b.txt\n");
    List<Long> latencies = new ArrayList<>();
    for (int pair = 0; pair <= PAIRS; pair++) {
      String a = "dep-a-" + pair;
      String b = "dep-b-" + pair;
      CliRun.Result startA =
          sandbox.cli().run("run", "--id", a, "--command", slow, "--auto-accept", "write a.txt");
      assertThat(startA.exitCode()).as(startA.toString()).isZero();
      CliRun.Result startB =
          sandbox
              .cli()
              .run(
                  "run",
                  "--id",
                  b,
                  "--depends-on",
                  a,
                  "--command",
                  quick,
                  "--auto-accept",
                  "write b.txt");
      assertThat(startB.exitCode()).as(startB.toString()).isZero();
      Path pidRecord = sandbox.home().resolve("logs").resolve(b).resolve("agent.pid");
      long started = awaitFileMillis(pidRecord);
      sandbox.cli().awaitState(b, "COMPLETED", Duration.ofSeconds(60));
      long satisfied = completedAtMillis(a);
      // Pair 0 warms up the JIT and the pollers; it is not counted.
      if (pair > 0) {
        latencies.add(started - satisfied);
      }
    }
    List<Long> sorted = latencies.stream().sorted().toList();
    String figures =
        String.format(
            Locale.ROOT,
            "dependency completed -> dependent's agent started: median %d ms, p95 %d ms, max %d"
                + " ms%npairs: %d (after one warm-up)%neach (ms): %s%n",
            sorted.get(sorted.size() / 2),
            sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1),
            sorted.get(sorted.size() - 1),
            PAIRS,
            latencies);
    Files.createDirectories(RESULT.getParent());
    Files.writeString(RESULT, figures);
    System.out.print(figures);
  }

  private static long completedAtMillis(String taskId) {
    List<HistoryEvent> events = sandbox.temporal().client().fetchHistory(taskId).getEvents();
    HistoryEvent last = null;
    for (HistoryEvent event : events) {
      if (event.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES) {
        last = event;
      }
    }
    assertThat(last).as("an upsert in " + taskId).isNotNull();
    return com.google.protobuf.util.Timestamps.toMillis(last.getEventTime());
  }

  private static long awaitFileMillis(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(file + " never appeared");
      }
      Thread.sleep(1);
    }
    return System.currentTimeMillis();
  }
}
