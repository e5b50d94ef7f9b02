package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.LedgerSeed;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.RunKind;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.Usage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code taskwright stats} adds up what the ledger holds, checked against sums made here from the
 * same seed.
 */
class StatsCommandTest {

  // One "now" for the seeded ledger and for what the tests expect of it.
  @SuppressWarnings("TimeInStaticInitializer")
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  /** One seeded task: where, by whom, when, and the usage of each of its runs. */
  private record Seeded(String id, String repo, String agent, Instant createdAt, List<Usage> runs) {
    Usage total() {
      return runs.stream().reduce(Usage.NONE, Usage::plus);
    }
  }

  private static final List<Seeded> TASKS =
      List.of(
          new Seeded(
              "t1",
              "/repos/app",
              "claude",
              NOW.minus(Duration.ofHours(1)),
              List.of(new Usage(2, 1_000, 100, 0, 0, 0.10), new Usage(1, 500, 50, 10, 33, 0.05))),
          new Seeded(
              "t2",
              "/repos/app",
              "command",
              NOW.minus(Duration.ofMinutes(61)),
              List.of(Usage.NONE)),
          new Seeded(
              "t3",
              "/repos/tools",
              "claude",
              NOW.minus(Duration.ofDays(2)),
              List.of(new Usage(4, 2_000, 300, 700, 4, 0.30))),
          new Seeded("t4", "/repos/tools", "claude", NOW.minus(Duration.ofDays(3)), List.of()),
          new Seeded(
              "t5",
              "/repos/app",
              "claude",
              NOW.minus(Duration.ofDays(20)),
              List.of(new Usage(9, 9_000, 900, 90, 0, 1.25))));

  private static LedgerSeed seed;

  @BeforeAll
  static void fill() throws Exception {
    seed = LedgerSeed.fresh();
    for (Seeded task : TASKS) {
      LedgerSeed.Task life =
          seed.task(task.id(), task.createdAt()).repo(task.repo()).agent(task.agent(), null);
      life.to(TaskState.PREPARING, null, Duration.ofSeconds(1))
          .to(TaskState.RUNNING, null, Duration.ofSeconds(1));
      for (Usage usage : task.runs()) {
        life.run(
            RunKind.FIRST,
            AgentStatus.SUCCEEDED,
            Duration.ZERO,
            Duration.ofSeconds(10),
            usage,
            null);
      }
      life.write();
    }
  }

  @AfterAll
  static void close() {
    seed.close();
  }

  private static CliRun cli() {
    return seed.cli();
  }

  /** Tasks, runs, tokens and cost per key, over the tasks created in the last 7 days. */
  private static Map<String, long[]> expected(Function<Seeded, String> key) {
    Map<String, long[]> sums = new TreeMap<>();
    for (Seeded task : TASKS) {
      if (task.createdAt().isBefore(NOW.minus(Duration.ofDays(7)))) {
        continue;
      }
      long[] sum = sums.computeIfAbsent(key.apply(task), k -> new long[4]);
      sum[0] += 1;
      sum[1] += task.runs().size();
      sum[2] += task.total().totalTokens();
      sum[3] += Math.round(task.total().costUsd() * 10_000);
    }
    return sums;
  }

  private static String day(Seeded task) {
    return LocalDate.ofInstant(task.createdAt(), ZoneId.systemDefault()).toString();
  }

  private static void assertTable(
      CliRun.Result result, String column, Map<String, long[]> expected) {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines.get(0)).startsWith("Tasks created since ");
    assertThat(lines.get(1)).matches(column + " +TASKS +RUNS +TOKENS +COST");
    assertThat(lines).hasSize(expected.size() + 3);
    int row = 2;
    long[] total = new long[4];
    for (Map.Entry<String, long[]> group : expected.entrySet()) {
      assertThat(lines.get(row++)).matches(line(group.getKey(), group.getValue()));
      for (int i = 0; i < 4; i++) {
        total[i] += group.getValue()[i];
      }
    }
    assertThat(lines.get(row)).matches(line("TOTAL", total));
  }

  private static String line(String key, long[] sums) {
    return Pattern.quote(key)
        + " +"
        + sums[0]
        + " +"
        + sums[1]
        + " +"
        + Pattern.quote(String.format(Locale.ROOT, "%,d", sums[2]))
        + " +"
        + Pattern.quote(String.format(Locale.ROOT, "$%.4f", sums[3] / 10_000.0));
  }

  @Test
  void byDayIsTheDefaultAndCoversTheLastSevenDays() {
    assertTable(cli().run("stats"), "DAY", expected(StatsCommandTest::day));
    assertTable(
        cli().run("stats", "--by", "day", "--since", "7d"), "DAY", expected(StatsCommandTest::day));
  }

  @Test
  void byRepoAndByAgent() {
    Map<String, long[]> byRepo = expected(Seeded::repo);
    assertThat(byRepo.get("/repos/app")).containsExactly(2, 3, 1_660, 1_500);
    assertThat(byRepo.get("/repos/tools")).containsExactly(2, 1, 3_000, 3_000);
    assertTable(cli().run("stats", "--by", "repo"), "REPO", byRepo);

    Map<String, long[]> byAgent = expected(Seeded::agent);
    assertThat(byAgent.get("claude")).containsExactly(3, 3, 4_660, 4_500);
    assertTable(cli().run("stats", "--by", "AGENT"), "AGENT", byAgent);
  }

  @Test
  void sinceAllCountsEveryTask() {
    CliRun.Result result = cli().run("stats", "--by", "repo", "--since", "all");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out())
        .startsWith("Tasks created at any time, by repo:")
        .containsPattern("(?m)^/repos/app +3 +4 +11,650 +\\$1\\.4000$")
        .containsPattern("(?m)^TOTAL +5 +5 +14,650 +\\$1\\.7000$");
  }

  @Test
  void jsonHasTheGroupsAndTheirTotal() throws Exception {
    CliRun.Result result = cli().run("stats", "--by", "repo", "--output", "json");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    JsonNode stats = new ObjectMapper().readTree(result.out());
    assertThat(stats.get("by").asText()).isEqualTo("repo");
    assertThat(Instant.parse(stats.get("since").asText()))
        .isBetween(NOW.minus(Duration.ofDays(7)), Instant.now().minus(Duration.ofDays(7)));
    assertThat(stats.get("timeZone").asText()).isEqualTo(ZoneId.systemDefault().getId());
    JsonNode groups = stats.get("groups");
    assertThat(groups.findValuesAsText("key")).containsExactly("/repos/app", "/repos/tools");
    JsonNode app = groups.get(0);
    assertThat(app.get("tasks").asLong()).isEqualTo(2);
    assertThat(app.get("runs").asLong()).isEqualTo(3);
    assertThat(app.get("inputTokens").asLong()).isEqualTo(1_500);
    assertThat(app.get("outputTokens").asLong()).isEqualTo(150);
    assertThat(app.get("cacheReadTokens").asLong()).isEqualTo(10);
    assertThat(app.get("cacheCreationTokens").asLong()).isEqualTo(33);
    assertThat(app.get("totalTokens").asLong()).isEqualTo(1_660);
    assertThat(app.get("costUsd").asDouble()).isCloseTo(0.15, within(1e-9));
    JsonNode total = stats.get("total");
    assertThat(total.get("key").asText()).isEqualTo("TOTAL");
    assertThat(total.get("tasks").asLong()).isEqualTo(4);
    assertThat(total.get("runs").asLong()).isEqualTo(4);
    assertThat(total.get("totalTokens").asLong()).isEqualTo(4_660);
    assertThat(total.get("cacheCreationTokens").asLong()).isEqualTo(37);
    assertThat(total.get("costUsd").asDouble()).isCloseTo(0.45, within(1e-9));

    JsonNode byDay = new ObjectMapper().readTree(cli().run("stats", "--output", "json").out());
    assertThat(byDay.get("by").asText()).isEqualTo("day");
    assertThat(byDay.get("groups").findValuesAsText("key"))
        .containsExactlyElementsOf(expected(StatsCommandTest::day).keySet());
    JsonNode all =
        new ObjectMapper()
            .readTree(
                cli().run("stats", "--by", "agent", "--since", "all", "--output", "json").out());
    assertThat(all.get("since").isNull()).isTrue();
    assertThat(all.get("total").get("tasks").asLong()).isEqualTo(5);
  }

  @Test
  void nothingToAddUpIsExitZeroWithALineOnStderr() throws Exception {
    try (LedgerSeed empty = LedgerSeed.fresh()) {
      CliRun.Result result = empty.cli().run("stats", "--by", "agent");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).containsPattern("(?m)^TOTAL +0 +0 +0 +\\$0\\.0000$");
      assertThat(result.err()).startsWith("No tasks created since ");

      JsonNode json =
          new ObjectMapper().readTree(empty.cli().run("stats", "--output", "json").out());
      assertThat(json.get("groups")).isEmpty();
      assertThat(json.get("total").get("tasks").asLong()).isZero();
    }
  }

  @Test
  void badFlagsAreExitTwo() {
    for (List<String> args :
        List.of(
            List.of("stats", "--by", "week"),
            List.of("stats", "--since", "last tuesday"),
            List.of("stats", "extra"),
            List.of("stats", "--output", "csv"))) {
      CliRun.Result result = cli().run(args.toArray(String[]::new));
      assertThat(result.exitCode()).as(args + "\n" + result).isEqualTo(ExitCodes.BAD_INPUT);
    }
    assertThat(cli().run("stats", "--by", "week").err()).contains("DAY, REPO, AGENT");
  }
}
