package dev.taskwright.starter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TemporalFixture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code worker} and {@code dev} serve the Temporal SDK's meters and taskwright's own at {@code
 * /metrics} when asked to, and refuse to start on a port that is taken.
 */
class WorkerMetricsTest {

  private static final Duration LIMIT = Duration.ofSeconds(30);

  @TempDir Path temp;

  private CliRun cli(String temporalAddress) {
    return CliRun.with().home(temp.resolve("home")).temporal(temporalAddress).in(temp);
  }

  @Test
  void theWorkerServesTheSdksMetricsAndTaskwrightsOwnAndStopsServingWhenItStops() throws Exception {
    try (TemporalFixture temporal = TemporalFixture.start()) {
      String metrics = "127.0.0.1:" + Scrapes.freePort();
      var worker =
          cli(temporal.address()).env("TASKWRIGHT_METRICS_ADDRESS", metrics).start("worker");
      worker.awaitErr("Metrics: http://" + metrics + "/metrics", LIMIT);

      // The SDK counts its long polls as the worker starts polling its queues.
      String polls =
          Scrapes.awaitSample(
              metrics,
              "of the SDK's long-poll requests",
              line -> line.startsWith("temporal_long_request_total{"),
              LIMIT);
      assertThat(Scrapes.value(polls)).isPositive();
      assertThat(Scrapes.samples(metrics)).contains("taskwright_agent_runs_in_progress 0.0");

      Path repo = temp.resolve("repo");
      GitRepos.create(repo);
      var run =
          cli(temporal.address())
              .run(
                  "run",
                  "--id",
                  "measured",
                  "--repo",
                  repo.toString(),
                  "--auto-accept",
                  "--wait",
                  "--command",
                  "touch done.txt",
                  "touch a file");
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);

      String agentRuns =
          Scrapes.awaitSample(
              metrics,
              "counting the command agent's successful run",
              line ->
                  line.startsWith("taskwright_agent_run_seconds_count{")
                      && line.contains("agent=\"command\"")
                      && line.contains("status=\"SUCCEEDED\""),
              LIMIT);
      assertThat(Scrapes.value(agentRuns)).isEqualTo(1.0);
      assertThat(Scrapes.samples(metrics))
          .anyMatch(
              line ->
                  line.startsWith("taskwright_agent_tokens_total{")
                      && line.contains("kind=\"input\"")
                      && line.contains("agent=\"command\""))
          .anyMatch(
              line ->
                  line.startsWith("taskwright_agent_cost_usd_total{")
                      && line.contains("agent=\"command\""))
          .anyMatch(
              line ->
                  line.startsWith("temporal_activity_execution_latency_seconds_count{")
                      && line.contains("activity_type=\"Run\""));
      // Tasks by state come from the ledger the worker writes.
      String completed =
          Scrapes.awaitSample(
              metrics,
              "the ledger's count of completed tasks",
              line -> line.startsWith("taskwright_tasks{state=\"COMPLETED\""),
              LIMIT);
      assertThat(Scrapes.value(completed)).isEqualTo(1.0);

      HttpResponse<String> elsewhere = Scrapes.get(metrics, "/metrics-and-more");
      assertThat(elsewhere.statusCode()).isEqualTo(404);
      assertThat(Scrapes.get(metrics, "/metrics").headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));

      var ended = worker.stop();
      assertThat(ended.exitCode()).as(ended.toString()).isZero();
      try (ServerSocket again =
          new ServerSocket(
              Integer.parseInt(metrics.substring(metrics.indexOf(':') + 1)),
              1,
              InetAddress.getLoopbackAddress())) {
        assertThat(again.isBound()).as("the stopped worker let the metrics port go").isTrue();
      }
    }
  }

  @Test
  void devServesMetricsFromTheSameVariable() throws Exception {
    try (TemporalFixture temporal = TemporalFixture.start()) {
      String metrics = "127.0.0.1:" + Scrapes.freePort();
      var dev =
          cli("127.0.0.1:1")
              .env("TASKWRIGHT_METRICS_ADDRESS", metrics)
              .start("dev", "--temporal", temporal.address());
      dev.awaitErr("taskwright dev is ready", LIMIT);

      Scrapes.awaitSample(
          metrics,
          "of the SDK's long-poll requests",
          line -> line.startsWith("temporal_long_request_total{"),
          LIMIT);
      assertThat(Scrapes.samples(metrics)).contains("taskwright_agent_runs_in_progress 0.0");

      assertThat(dev.stop().exitCode()).isZero();
    }
  }

  @Test
  void aMetricsPortInUseStopsTheWorkerBeforeItStartsWithExitFive() throws Exception {
    try (TemporalFixture temporal = TemporalFixture.start();
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String metrics = "127.0.0.1:" + taken.getLocalPort();

      var result = cli(temporal.address()).run("worker", "--metrics-address", metrics);

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(result.err())
          .contains("cannot serve metrics at " + metrics, "TASKWRIGHT_METRICS_ADDRESS");
      Path log = temp.resolve("home/logs/worker.log");
      assertThat(!Files.exists(log) || !Files.readString(log).contains("Worker started"))
          .as("no worker polled")
          .isTrue();
    }
  }
}
