package dev.taskwright.starter.commands;

import static dev.taskwright.workflows.model.TaskState.BLOCKED;
import static dev.taskwright.workflows.model.TaskState.COMMITTING;
import static dev.taskwright.workflows.model.TaskState.COMPLETED;
import static dev.taskwright.workflows.model.TaskState.PREPARING;
import static dev.taskwright.workflows.model.TaskState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.LedgerSeed;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.RunKind;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.Usage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code taskwright show ID} against a ledger filled by real writes and no Temporal server, as
 * after the namespace's retention deleted the task's workflow.
 */
class ShowCommandTest {

  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final String SHA_1 = "1111111111aaaaaaaaaabbbbbbbbbbcccccccccc";
  private static final String SHA_2 = "2222222222aaaaaaaaaabbbbbbbbbbcccccccccc";

  private static LedgerSeed seed;

  @BeforeAll
  static void fill() throws Exception {
    seed = LedgerSeed.fresh();
    seed.task("fix-login", T0)
        .plan("auth")
        .title("Fix the login")
        .agent("claude", "claude-sonnet-4-5")
        .summary("Kept the cookie.\nAdded a test for the expiry.")
        .commits(SHA_1, SHA_2)
        .to(PREPARING, null, Duration.ofSeconds(1))
        .to(RUNNING, null, Duration.ofSeconds(2))
        .run(
            RunKind.FIRST,
            AgentStatus.QUESTION,
            Duration.ZERO,
            Duration.ofSeconds(80),
            new Usage(3, 1_000, 200, 0, 0, 0.01),
            null)
        .to(BLOCKED, TaskReason.QUESTION, Duration.ZERO)
        .to(RUNNING, null, Duration.ofSeconds(60))
        .run(
            RunKind.ANSWER,
            AgentStatus.FAILED,
            Duration.ZERO,
            Duration.ofSeconds(30),
            new Usage(2, 500, 100, 0, 0, 0.005),
            "Command exited with code 3")
        .run(
            RunKind.RETRY,
            AgentStatus.SUCCEEDED,
            Duration.ofSeconds(1),
            Duration.ofSeconds(45),
            new Usage(5, 2_000, 400, 1_000, 250, 0.02),
            null)
        .to(COMMITTING, null, Duration.ofSeconds(1))
        .to(COMPLETED, null, Duration.ofSeconds(2))
        .write();
    seed.task("fix-login.tests", T0.plusSeconds(300))
        .parent("fix-login")
        .plan("auth")
        .to(PREPARING, null, Duration.ofSeconds(1))
        .to(RUNNING, null, Duration.ofSeconds(1))
        .run(RunKind.FIRST, null, Duration.ZERO, null, Usage.NONE, null)
        .write();
    seed.task("queued-one", T0.plusSeconds(600)).write();
  }

  @AfterAll
  static void close() {
    seed.close();
  }

  private static CliRun cli() {
    return seed.cli();
  }

  private static String clock(Instant at, String pattern) {
    return DateTimeFormatter.ofPattern(pattern, Locale.ROOT)
        .format(at.atZone(ZoneId.systemDefault()));
  }

  @Test
  void showsTheFieldsTheRunsAndTheTransitions() {
    CliRun.Result result = cli().run("show", "fix-login");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    String out = result.out();
    assertThat(out)
        .containsPattern("(?m)^Task +fix-login$")
        .containsPattern("(?m)^State +COMPLETED$")
        .containsPattern("(?m)^Title +Fix the login$")
        .containsPattern("(?m)^Plan +auth$")
        .containsPattern("(?m)^Repo +/repos/app$")
        .containsPattern("(?m)^Base +main$")
        .containsPattern("(?m)^Agent +claude \\(claude-sonnet-4-5\\)$")
        .containsPattern("(?m)^Branch +taskwright/fix-login$")
        .containsPattern("(?m)^Commits +1111111111 2222222222$")
        .containsPattern(
            "(?m)^Usage +5200 tokens \\(3500 in, 700 out, 1000 cache read, 250 cache write\\), 10"
                + " turns, \\$0\\.0350$")
        .containsPattern("(?m)^Created +" + Pattern.quote(clock(T0, "yyyy-MM-dd HH:mm:ss z")) + "$")
        .containsPattern(
            "(?m)^Finished +"
                + Pattern.quote(clock(T0.plusSeconds(222), "yyyy-MM-dd HH:mm:ss z"))
                + " \\(after 3m 42s\\)$")
        .containsPattern("(?m)^Summary +Kept the cookie\\.\\n +Added a test for the expiry\\.$")
        .doesNotContain("Question", "Parent");

    String runs = out.substring(out.indexOf("Runs:"), out.indexOf("Transitions:"));
    assertThat(runs.lines().toList())
        .containsExactly(
            "Runs:",
            "  #  KIND    OUTCOME    STARTED              DURATION  TURNS  TOKENS     COST "
                + " SESSION",
            "  1  FIRST   QUESTION   "
                + clock(T0.plusSeconds(3), "yyyy-MM-dd HH:mm:ss")
                + "    1m 20s      3   1,200  $0.0100  session-fix-login",
            "       log    /home/me/.taskwright/logs/fix-login/run-1.jsonl",
            "  2  ANSWER  FAILED     "
                + clock(T0.plusSeconds(143), "yyyy-MM-dd HH:mm:ss")
                + "       30s      2     600  $0.0050  session-fix-login",
            "       log    /home/me/.taskwright/logs/fix-login/run-2.jsonl",
            "       error  Command exited with code 3",
            "  3  RETRY   SUCCEEDED  "
                + clock(T0.plusSeconds(174), "yyyy-MM-dd HH:mm:ss")
                + "       45s      5   3,400  $0.0200  session-fix-login",
            "       log    /home/me/.taskwright/logs/fix-login/run-3.jsonl",
            "");
    String transitions = out.substring(out.indexOf("Transitions:"));
    assertThat(transitions.lines().map(String::strip).toList())
        .containsExactly(
            "Transitions:",
            "TIME                       FROM     TO          REASON",
            clock(T0, "yyyy-MM-dd HH:mm:ss") + "              →  QUEUED",
            clock(T0.plusSeconds(1), "yyyy-MM-dd HH:mm:ss") + "      QUEUED  →  PREPARING",
            clock(T0.plusSeconds(3), "yyyy-MM-dd HH:mm:ss") + "   PREPARING  →  RUNNING",
            clock(T0.plusSeconds(83), "yyyy-MM-dd HH:mm:ss")
                + "     RUNNING  →  BLOCKED     QUESTION",
            clock(T0.plusSeconds(143), "yyyy-MM-dd HH:mm:ss") + "     BLOCKED  →  RUNNING",
            clock(T0.plusSeconds(220), "yyyy-MM-dd HH:mm:ss") + "     RUNNING  →  COMMITTING",
            clock(T0.plusSeconds(222), "yyyy-MM-dd HH:mm:ss") + "  COMMITTING  →  COMPLETED");
  }

  @Test
  void aRunningRunAndATaskThatNeverRanSaySo() {
    CliRun.Result running = cli().run("show", "fix-login.tests");
    assertThat(running.exitCode()).as(running.toString()).isZero();
    assertThat(running.out())
        .containsPattern("(?m)^Parent +fix-login$")
        .containsPattern(
            "(?m)^  1  FIRST  running  "
                + Pattern.quote(clock(T0.plusSeconds(302), "yyyy-MM-dd HH:mm:ss"))
                + " +0  +0  \\$0\\.0000  session-fix-login\\.tests$")
        .doesNotContain("Finished");

    CliRun.Result queued = cli().run("show", "queued-one");
    assertThat(queued.exitCode()).as(queued.toString()).isZero();
    assertThat(queued.out())
        .contains("Runs: none yet")
        .containsPattern("(?m)^State +QUEUED$")
        .doesNotContain("Branch", "Usage");
  }

  @Test
  void jsonHasTheTaskWithItsRunsAndTransitions() throws Exception {
    CliRun.Result result = cli().run("show", "fix-login", "--output", "json");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    JsonNode task = new ObjectMapper().readTree(result.out());
    assertThat(task.get("id").asText()).isEqualTo("fix-login");
    assertThat(task.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(task.get("reason").isNull()).isTrue();
    assertThat(task.get("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(task.get("commits")).extracting(JsonNode::asText).containsExactly(SHA_1, SHA_2);
    assertThat(task.get("summary").asText())
        .isEqualTo("Kept the cookie.\nAdded a test for the expiry.");
    assertThat(task.get("usage").get("totalTokens").asLong()).isEqualTo(5_200);
    assertThat(task.get("usage").get("turns").asInt()).isEqualTo(10);
    assertThat(task.get("usage").get("costUsd").asDouble())
        .isEqualTo(0.035, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(Instant.parse(task.get("finishedAt").asText())).isEqualTo(T0.plusSeconds(222));

    JsonNode runs = task.get("runs");
    assertThat(runs).hasSize(3);
    assertThat(runs)
        .extracting(
            run ->
                run.get("number").asInt()
                    + " "
                    + run.get("kind").asText()
                    + " "
                    + run.get("outcome").asText())
        .containsExactly("1 FIRST QUESTION", "2 ANSWER FAILED", "3 RETRY SUCCEEDED");
    JsonNode failed = runs.get(1);
    assertThat(failed.get("error").asText()).isEqualTo("Command exited with code 3");
    assertThat(failed.get("durationSeconds").asDouble()).isEqualTo(30.0);
    assertThat(failed.get("sessionId").asText()).isEqualTo("session-fix-login");
    assertThat(failed.get("logPath").asText())
        .isEqualTo("/home/me/.taskwright/logs/fix-login/run-2.jsonl");
    assertThat(Instant.parse(failed.get("startedAt").asText())).isEqualTo(T0.plusSeconds(143));
    assertThat(runs.get(2).get("usage").get("cacheReadTokens").asLong()).isEqualTo(1_000);
    assertThat(runs.get(2).get("usage").get("cacheCreationTokens").asLong()).isEqualTo(250);
    assertThat(runs.get(0).get("error").isNull()).isTrue();

    JsonNode transitions = task.get("transitions");
    assertThat(transitions)
        .extracting(t -> t.get("from").asText(null) + ">" + t.get("to").asText())
        .containsExactly(
            "null>QUEUED",
            "QUEUED>PREPARING",
            "PREPARING>RUNNING",
            "RUNNING>BLOCKED",
            "BLOCKED>RUNNING",
            "RUNNING>COMMITTING",
            "COMMITTING>COMPLETED");
    assertThat(transitions.get(3).get("reason").asText()).isEqualTo("QUESTION");
    assertThat(Instant.parse(transitions.get(6).get("at").asText())).isEqualTo(T0.plusSeconds(222));
  }

  @Test
  void anUnknownIdIsNotFoundAndSuggestsTheIdsItMayMean() {
    CliRun.Result similar = cli().run("show", "fix");
    assertThat(similar.exitCode()).as(similar.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(similar.out()).isEmpty();
    assertThat(similar.err().strip())
        .isEqualTo(
            "taskwright: no task 'fix' in the task ledger; did you mean fix-login.tests or"
                + " fix-login?");

    CliRun.Result unknown = cli().run("show", "nope");
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknown.err().strip())
        .isEqualTo(
            "taskwright: no task 'nope' in the task ledger; check the ID with taskwright list (a"
                + " task started before this ledger existed is only on the Temporal server:"
                + " taskwright status nope)");
  }

  @Test
  void badInputIsExitTwo() {
    for (List<String> args :
        List.of(
            List.of("show", "Fix_Login"),
            List.of("show"),
            List.of("show", "a", "b"),
            List.of("show", "fix-login", "-o", "yaml"))) {
      CliRun.Result result = cli().run(args.toArray(String[]::new));
      assertThat(result.exitCode()).as(args + "\n" + result).isEqualTo(ExitCodes.BAD_INPUT);
    }
  }
}
