package dev.taskwright.activities.agent;

import static dev.taskwright.activities.agent.AgentTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.taskwright.testing.ClaudeCli;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelScript;
import dev.taskwright.testing.ScriptedModelServer;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent activity measures every run it makes: duration by agent and outcome, the tokens and
 * cost the run itself reported, and how many runs are in progress. Each test runs a real agent
 * through the real activity; nothing is counted by the test itself.
 */
class AgentMetricsTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  @TempDir Path temp;

  @Test
  void aCommandRunIsTimedByAgentAndOutcome() throws Exception {
    try (AgentTestSupport agent = new AgentTestSupport(temp, "/nonexistent/claude", Map.of())) {
      AgentOutcome succeeded = agent.run(agent.commandRun("sleep 0.3; echo done", MINUTE, MINUTE));
      AgentOutcome failed = agent.run(agent.commandRun("exit 3", MINUTE, MINUTE));

      assertThat(succeeded.status()).isEqualTo(AgentStatus.SUCCEEDED);
      assertThat(failed.status()).isEqualTo(AgentStatus.FAILED);
      Timer succeededRuns = runTimer(agent.meters, "command", "SUCCEEDED");
      assertThat(succeededRuns.count()).isEqualTo(1);
      assertThat(succeededRuns.totalTime(TimeUnit.MILLISECONDS))
          .as("the run slept 300 ms")
          .isGreaterThanOrEqualTo(300);
      assertThat(runTimer(agent.meters, "command", "FAILED").count()).isEqualTo(1);
      // The command agent reports no usage; what is counted is what the runs reported.
      assertUsageCounted(agent.meters, "command", succeeded.usage().plus(failed.usage()));
      assertThat(inProgress(agent.meters)).isZero();
    }
  }

  @Test
  void theInProgressGaugeCountsARunningAgentUntilItEnds() throws Exception {
    try (AgentTestSupport agent = new AgentTestSupport(temp, "/nonexistent/claude", Map.of())) {
      Path started = temp.resolve("started");
      Path release = temp.resolve("release");
      String script = "touch " + started + "; while [ ! -f " + release + " ]; do sleep 0.05; done";
      CompletableFuture<AgentOutcome> running =
          CompletableFuture.supplyAsync(() -> agent.run(agent.commandRun(script, MINUTE, MINUTE)));

      waitUntil(Duration.ofSeconds(10), "the agent started", () -> Files.exists(started));
      assertThat(inProgress(agent.meters)).isEqualTo(1);
      assertThat(agent.meters.find(AgentMetrics.RUN).timer()).as("no run has ended yet").isNull();

      Files.createFile(release);
      assertThat(running.get(30, TimeUnit.SECONDS).status()).isEqualTo(AgentStatus.SUCCEEDED);
      assertThat(inProgress(agent.meters)).isZero();
      assertThat(runTimer(agent.meters, "command", "SUCCEEDED").count()).isEqualTo(1);
    }
  }

  @Test
  void aCancelledRunIsTimedAsCancelledAndLeavesTheGauge() throws Exception {
    try (AgentTestSupport agent = new AgentTestSupport(temp, "/nonexistent/claude", Map.of())) {
      Path started = temp.resolve("started");
      CompletableFuture<AgentOutcome> running =
          CompletableFuture.supplyAsync(
              () ->
                  agent.run(agent.commandRun("touch " + started + "; sleep 600", MINUTE, MINUTE)));
      waitUntil(Duration.ofSeconds(10), "the agent started", () -> Files.exists(started));

      agent.environment().requestCancelActivity();

      assertThatThrownBy(() -> running.get(15, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(io.temporal.failure.CanceledFailure.class);
      assertThat(runTimer(agent.meters, "command", AgentMetrics.CANCELLED).count()).isEqualTo(1);
      assertThat(inProgress(agent.meters)).isZero();
    }
  }

  @Test
  void aClaudeRunCountsTheTokensAndCostTheCliReported() throws Exception {
    try (ScriptedModelServer model =
            ScriptedModelServer.start(ModelScript.always(ModelReply.text("no script set")));
        AgentTestSupport agent =
            new AgentTestSupport(
                temp,
                ClaudeCli.locate().toString(),
                model.cliEnvironment(temp.resolve("cli-home")))) {
      Path hello = agent.worktree.resolve("hello.txt");
      model.script(
          ModelScript.turns(
              ModelReply.write(hello, "hello\n"), ModelReply.text("Wrote hello.txt.")));

      AgentOutcome outcome = agent.run(agent.claudeRun("Create hello.txt"));

      assertThat(outcome.status()).as("outcome %s", outcome).isEqualTo(AgentStatus.SUCCEEDED);
      assertThat(outcome.usage().inputTokens()).isPositive();
      assertThat(outcome.usage().outputTokens()).isPositive();
      assertThat(outcome.usage().costUsd()).isPositive();
      assertThat(runTimer(agent.meters, "claude", "SUCCEEDED").count()).isEqualTo(1);
      assertUsageCounted(agent.meters, "claude", outcome.usage());
      assertThat(inProgress(agent.meters)).isZero();
      assertThat(model.scriptFailures()).isEmpty();
    }
  }

  private static Timer runTimer(MeterRegistry meters, String agent, String status) {
    Timer timer =
        meters
            .find(AgentMetrics.RUN)
            .tags(AgentMetrics.AGENT_TAG, agent, AgentMetrics.STATUS_TAG, status)
            .timer();
    assertThat(timer).as("a %s timer for agent %s", status, agent).isNotNull();
    return timer;
  }

  private static void assertUsageCounted(MeterRegistry meters, String agent, Usage usage) {
    assertThat(tokens(meters, agent, "input")).isEqualTo(usage.inputTokens());
    assertThat(tokens(meters, agent, "output")).isEqualTo(usage.outputTokens());
    assertThat(tokens(meters, agent, "cache_read")).isEqualTo(usage.cacheReadTokens());
    assertThat(tokens(meters, agent, "cache_creation")).isEqualTo(usage.cacheCreationTokens());
    Counter cost = meters.find(AgentMetrics.COST_USD).tags(AgentMetrics.AGENT_TAG, agent).counter();
    assertThat(cost).as("the cost counter for agent %s", agent).isNotNull();
    assertThat(cost.count()).isCloseTo(usage.costUsd(), within(1e-12));
  }

  private static long tokens(MeterRegistry meters, String agent, String kind) {
    Counter counter =
        meters
            .find(AgentMetrics.TOKENS)
            .tags(AgentMetrics.AGENT_TAG, agent, AgentMetrics.KIND_TAG, kind)
            .counter();
    assertThat(counter).as("the %s token counter for agent %s", kind, agent).isNotNull();
    return (long) counter.count();
  }

  private static double inProgress(MeterRegistry meters) {
    return meters.get(AgentMetrics.IN_PROGRESS).gauge().value();
  }
}
