package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.LedgerSeed;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.RunKind;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.Usage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code taskwright watch}: one frame with {@code --once} (and whenever stdout is no terminal, as
 * in tests), JSON frames until stopped.
 */
class WatchCommandTest {

  // One "now" for the seeded ledger and for what the tests expect of it.
  @SuppressWarnings("TimeInStaticInitializer")
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private static final String QUESTION =
      """
      Which session store should I use for the new login flow?
      Options:
      - Redis
      - the existing PostgreSQL table\
      """;

  private static LedgerSeed seed;

  @BeforeAll
  static void fill() throws Exception {
    seed = LedgerSeed.fresh();
    seed.task("done", NOW.minus(Duration.ofDays(2)))
        .to(TaskState.COMPLETED, null, Duration.ofMinutes(5))
        .write();
    seed.task("asks", NOW.minus(Duration.ofHours(3)).minusSeconds(300))
        .question(QUESTION)
        .to(TaskState.PREPARING, null, Duration.ofSeconds(1))
        .to(TaskState.RUNNING, null, Duration.ofSeconds(1))
        .run(
            RunKind.FIRST,
            AgentStatus.QUESTION,
            Duration.ZERO,
            Duration.ofMinutes(2),
            new Usage(3, 1_000, 100, 0, 0, 0.0421),
            null)
        .to(TaskState.BLOCKED, TaskReason.QUESTION, Duration.ZERO)
        .write();
    seed.task("stuck", NOW.minus(Duration.ofHours(2)))
        .error("Command exited with code 3")
        .to(TaskState.PREPARING, null, Duration.ofSeconds(1))
        .to(TaskState.BLOCKED, TaskReason.AGENT_FAILED, Duration.ofSeconds(1))
        .write();
    seed.task("gone", NOW.minus(Duration.ofHours(1)))
        .to(TaskState.FAILED, TaskReason.ABANDONED, Duration.ofSeconds(1))
        .write();
    seed.task("works", NOW.minus(Duration.ofMinutes(12)))
        .to(TaskState.PREPARING, null, Duration.ofSeconds(1))
        .to(TaskState.RUNNING, null, Duration.ofSeconds(1))
        .write();
    seed.task("waits", NOW.minus(Duration.ofSeconds(40)))
        .to(TaskState.WAITING, null, Duration.ofSeconds(1))
        .write();
  }

  @AfterAll
  static void close() {
    seed.close();
  }

  private static CliRun cli() {
    return seed.cli();
  }

  @Test
  void onceShowsTheActiveTasksOldestFirstWithTheQuestionAndCountsByState() {
    CliRun.Result result = cli().run("watch", "--once");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(7);
    assertThat(lines.get(0)).matches("ID +STATE +ELAPSED +COST +QUESTION");
    assertThat(lines.get(1))
        .matches(
            "asks +BLOCKED/QUESTION +3h 05m +\\$0\\.0421 +Which session store should I use for the"
                + " new login flow\\? Op…");
    assertThat(lines.get(1).substring(lines.get(1).indexOf("Which")))
        .as("the question column's width")
        .hasSize(60);
    assertThat(lines.get(2)).matches("stuck +BLOCKED/AGENT_FAILED +2h 00m +\\$0\\.0000");
    assertThat(lines.get(3)).matches("works +RUNNING +12m 0\\ds +\\$0\\.0000");
    assertThat(lines.get(4)).matches("waits +WAITING +4\\ds +\\$0\\.0000");
    assertThat(lines.get(5)).isEmpty();
    assertThat(lines.get(6))
        .matches(
            "4 active: 1 WAITING, 1 RUNNING, 2 BLOCKED · ended: 1 COMPLETED, 1 FAILED ·"
                + " \\d\\d:\\d\\d:\\d\\d");
    assertThat(result.out()).doesNotContain("\033[");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void withoutATerminalItPrintsOneFrameAndExits() {
    CliRun.Result result = cli().run("watch", "--interval", "1s");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out().lines().filter(line -> line.startsWith("ID ")).count()).isEqualTo(1);
    assertThat(result.out()).doesNotContain("\033[");
  }

  @Test
  void onceAsJsonIsOneLine() throws Exception {
    CliRun.Result result = cli().run("watch", "--once", "--output", "json");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out().lines().count()).isEqualTo(1);
    JsonNode frame = new ObjectMapper().readTree(result.out());
    assertThat(Instant.parse(frame.get("at").asText())).isAfterOrEqualTo(NOW);
    assertThat(frame.get("tasks").findValuesAsText("id"))
        .containsExactly("asks", "stuck", "works", "waits");
    JsonNode asks = frame.get("tasks").get(0);
    assertThat(asks.get("state").asText()).isEqualTo("BLOCKED");
    assertThat(asks.get("reason").asText()).isEqualTo("QUESTION");
    assertThat(asks.get("question").asText()).isEqualTo(QUESTION);
    assertThat(asks.get("elapsedSeconds").asLong()).isBetween(3 * 3600L + 300, 3 * 3600L + 360);
    assertThat(asks.get("costUsd").asDouble()).isEqualTo(0.0421);
    assertThat(frame.get("counts").toString())
        .isEqualTo("{\"WAITING\":1,\"RUNNING\":1,\"BLOCKED\":2,\"COMPLETED\":1,\"FAILED\":1}");
  }

  @Test
  void jsonFramesFollowUntilStoppedAndShowNewTasks() throws Exception {
    try (LedgerSeed ledger = LedgerSeed.fresh()) {
      ledger.task("first", Instant.now().minusSeconds(5)).write();
      CliRun.Background watch = ledger.cli().start("watch", "--output", "json", "--interval", "1s");
      watch.awaitOut("\"first\"", Duration.ofSeconds(30));

      ledger.task("second", Instant.now()).to(TaskState.PREPARING, null, Duration.ZERO).write();
      watch.awaitOut("\"second\"", Duration.ofSeconds(30));
      CliRun.Result result = watch.stop();

      assertThat(result.exitCode()).as(result.toString()).isZero();
      List<String> lines = result.out().lines().toList();
      assertThat(lines.size()).isGreaterThanOrEqualTo(2);
      for (String line : lines) {
        assertThat(new ObjectMapper().readTree(line).has("tasks")).as(line).isTrue();
      }
      JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
      assertThat(last.get("tasks").findValuesAsText("id")).containsExactly("first", "second");
      assertThat(last.get("counts").toString()).isEqualTo("{\"QUEUED\":1,\"PREPARING\":1}");
    }
  }

  @Test
  void anEmptyLedgerHasNoActiveTasks() {
    try (LedgerSeed empty = LedgerSeed.fresh()) {
      CliRun.Result result = empty.cli().run("watch", "--once");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out().lines().toList()).hasSize(3).startsWith("No active tasks.", "");
      assertThat(result.out().lines().toList().get(2)).matches("0 active · \\d\\d:\\d\\d:\\d\\d");
    }
  }

  @Test
  void badFlagsAreExitTwo() {
    for (List<String> args :
        List.of(
            List.of("watch", "--interval", "PT0.5S"),
            List.of("watch", "--interval", "soon"),
            List.of("watch", "--once", "now"),
            List.of("watch", "-o", "xml"))) {
      CliRun.Result result = cli().run(args.toArray(String[]::new));
      assertThat(result.exitCode()).as(args + "\n" + result).isEqualTo(ExitCodes.BAD_INPUT);
    }
  }
}
