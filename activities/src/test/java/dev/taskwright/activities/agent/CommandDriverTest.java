package dev.taskwright.activities.agent;

import static dev.taskwright.activities.agent.AgentTestSupport.alive;
import static dev.taskwright.activities.agent.AgentTestSupport.readPids;
import static dev.taskwright.activities.agent.AgentTestSupport.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwright.workflows.FailureType;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.Question;
import dev.taskwright.workflows.model.SubtaskRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code command} driver and the process machinery both drivers share, through the real
 * activity.
 */
class CommandDriverTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  @TempDir Path temp;
  private AgentTestSupport agent;

  @BeforeEach
  void setUp() throws IOException {
    agent =
        new AgentTestSupport(
            temp, "/nonexistent/claude", Map.of("TASKWRIGHT_TEST_MARKER", "from-settings"));
  }

  @AfterEach
  void tearDown() {
    agent.close();
  }

  @Test
  void runsInTheWorktreeWithThePromptOnStdinAndSucceedsOnExitZero() throws IOException {
    AgentOutcome outcome =
        agent.run(
            agent.commandRun(
                "read -r prompt; echo \"$prompt\" > from-stdin.txt; echo \"$TASKWRIGHT_TASK_ID"
                    + " $TASKWRIGHT_TEST_MARKER\"; echo last line",
                MINUTE,
                MINUTE));

    assertThat(outcome.status()).isEqualTo(AgentStatus.SUCCEEDED);
    assertThat(Files.readString(agent.worktree.resolve("from-stdin.txt")))
        .isEqualTo("the prompt\n");
    assertThat(outcome.summary()).isEqualTo("t1 from-settings\nlast line");
    assertThat(outcome.sessionId()).isNull();
    assertThat(Path.of(outcome.logPath())).isEqualTo(agent.home.logs("t1").resolve("run-1.log"));
    assertThat(Files.readString(Path.of(outcome.logPath())))
        .isEqualTo("t1 from-settings\nlast line\n");
    assertThat(agent.pidRecord()).doesNotExist();
  }

  @Test
  void takesTheSummaryFromTheSummaryFileAndAppendsToTheLogOfARetriedRun() throws IOException {
    AgentRun run =
        agent.commandRun(
            "echo output; echo 'Wrote the summary' > \"$TASKWRIGHT_SUMMARY_FILE\"", MINUTE, MINUTE);

    agent.run(run);
    AgentOutcome outcome = agent.run(run);

    assertThat(outcome.summary()).isEqualTo("Wrote the summary");
    assertThat(Files.readString(Path.of(outcome.logPath()))).isEqualTo("output\noutput\n");
  }

  @Test
  void failsWithTheOutputTailOnANonZeroExit() {
    AgentOutcome outcome =
        agent.run(agent.commandRun("echo working; echo broken >&2; exit 3", MINUTE, MINUTE));

    assertThat(outcome.status()).isEqualTo(AgentStatus.FAILED);
    assertThat(outcome.error())
        .startsWith("Command exited with code 3")
        .contains("working")
        .contains("broken");
    assertThat(agent.home.logs("t1").resolve("run-1.stderr.log")).hasContent("broken");
  }

  @Test
  void reportsTheQuestionFromTheQuestionFile() throws IOException {
    Files.createDirectories(agent.controlFiles().runDir());
    Path stale = agent.controlFiles().question();
    Files.writeString(stale, "{\"question\": \"stale question of an earlier run\"}");
    AgentOutcome first = agent.run(agent.commandRun("true", MINUTE, MINUTE));
    assertThat(first.status())
        .as("a question file of an earlier run is not this run's question")
        .isEqualTo(AgentStatus.SUCCEEDED);

    AgentOutcome outcome =
        agent.run(
            agent.commandRun(
                "printf '%s' '{\"question\": \"Which database?\", \"options\": [\"postgres\","
                    + " {\"label\": \"sqlite\"}]}' > \"$TASKWRIGHT_QUESTION_FILE\"",
                MINUTE, MINUTE));

    assertThat(outcome.status()).isEqualTo(AgentStatus.QUESTION);
    assertThat(outcome.question())
        .isEqualTo(new Question("Which database?", List.of("postgres", "sqlite")));
  }

  @Test
  void theSubtasksTheAgentWroteComeWithTheOutcomeAndAreClearedBeforeTheNextRun() {
    String write =
        "printf '%s' '[{\"name\": \"lexer\", \"title\": \"Lexer\", \"prompt\": \"Write the"
            + " lexer\"}, {\"name\": \"parser\", \"title\": \"Parser\", \"prompt\": \"Write the"
            + " parser\", \"dependsOn\": [\"lexer\"]}]' > \"$TASKWRIGHT_SUBTASKS_FILE\"";

    AgentOutcome outcome = agent.run(agent.commandRun(write, MINUTE, MINUTE));
    AgentOutcome next = agent.run(agent.commandRun("true", MINUTE, MINUTE));

    assertThat(outcome.status()).isEqualTo(AgentStatus.SUCCEEDED);
    assertThat(outcome.subtasks())
        .containsExactly(
            new SubtaskRequest("lexer", "Lexer", "Write the lexer", List.of()),
            new SubtaskRequest("parser", "Parser", "Write the parser", List.of("lexer")));
    assertThat(next.subtasks()).as("the next run wrote none").isEmpty();
  }

  @Test
  void aMalformedSubtasksFileFailsTheRunWithWhatToFix() {
    AgentOutcome outcome =
        agent.run(
            agent.commandRun(
                "echo '[{\"name\": \"Bad Name\", \"prompt\": \"x\"}]' >"
                    + " \"$TASKWRIGHT_SUBTASKS_FILE\"",
                MINUTE,
                MINUTE));

    assertThat(outcome.status()).isEqualTo(AgentStatus.FAILED);
    assertThat(outcome.error())
        .startsWith(
            "The subtasks file "
                + agent.controlFiles().subtasks()
                + " is not valid: subtask 1 has the name \"Bad Name\"")
        .contains("Write the whole file again as a JSON array");
    assertThat(outcome.subtasks()).isEmpty();
  }

  @Test
  void heartbeatsWhileASilentAgentRuns() {
    AgentOutcome outcome = agent.run(agent.commandRun("sleep 2.5", MINUTE, MINUTE));

    assertThat(outcome.status()).isEqualTo(AgentStatus.SUCCEEDED);
    assertThat(agent.heartbeats).hasSizeGreaterThanOrEqualTo(3);
    assertThat(agent.heartbeats.get(0).lastEvent()).isEqualTo("0 lines of output; last: started");
  }

  @Test
  void cancellationKillsTheAgentAndEveryProcessItStarted() throws Exception {
    Path pids = temp.resolve("pids");
    // A child, a grandchild in a subshell, and an orphan whose parent exits at once.
    String script =
        "echo $$ >> "
            + pids
            + ";"
            + " sleep 600 & echo $! >> "
            + pids
            + ";"
            + " ( sleep 600 & echo $! >> "
            + pids
            + "; wait ) &"
            + " ( sleep 600 & echo $! >> "
            + pids
            + " );"
            + " wait";
    CompletableFuture<AgentOutcome> running =
        CompletableFuture.supplyAsync(() -> agent.run(agent.commandRun(script, MINUTE, MINUTE)));
    waitUntil(
        Duration.ofSeconds(10),
        "the script started its processes",
        () -> readPids(pids).size() == 4);
    List<Long> started = readPids(pids);
    assertThat(started).allMatch(AgentTestSupport::alive);

    agent.environment().requestCancelActivity();

    assertThatThrownBy(() -> running.get(15, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(io.temporal.failure.CanceledFailure.class);
    assertThat(started).noneMatch(AgentTestSupport::alive);
    assertThat(agent.pidRecord()).doesNotExist();
  }

  @Test
  void killsBackgroundJobsTheAgentLeftBehindWhenItExits() throws Exception {
    Path pids = temp.resolve("pids");
    AgentOutcome outcome =
        agent.run(agent.commandRun("sleep 600 & echo $! > " + pids + "; exit 0", MINUTE, MINUTE));

    assertThat(outcome.status()).isEqualTo(AgentStatus.SUCCEEDED);
    List<Long> left = readPids(pids);
    assertThat(left).hasSize(1);
    waitUntil(Duration.ofSeconds(5), "the background job is killed", () -> !alive(left.get(0)));
  }

  @Test
  void stopsARunThatOutlivesItsTimeout() throws Exception {
    Path pids = temp.resolve("pids");
    Instant start = Instant.now();
    AgentOutcome outcome =
        agent.run(
            agent.commandRun(
                "sleep 600 & echo $! > " + pids + "; while true; do echo busy; sleep 0.1; done",
                Duration.ofSeconds(1),
                MINUTE));

    assertThat(outcome.status()).isEqualTo(AgentStatus.TIMED_OUT);
    assertThat(outcome.error()).contains("timeout of PT1S");
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
    assertThat(readPids(pids)).noneMatch(AgentTestSupport::alive);
  }

  @Test
  void theIdleWatchdogStopsAnAgentThatFellSilent() {
    AgentOutcome outcome =
        agent.run(agent.commandRun("echo started; sleep 600", MINUTE, Duration.ofSeconds(1)));

    assertThat(outcome.status()).isEqualTo(AgentStatus.FAILED);
    assertThat(outcome.error())
        .isEqualTo("The agent printed nothing for PT1S and was stopped by the idle watchdog");
  }

  @Test
  void killsAnAgentAnEarlierAttemptLeftRunningBeforeStarting() throws Exception {
    Process leftover = new ProcessBuilder("sleep", "600").start();
    try {
      PidRecords.write(agent.pidRecord(), leftover.toHandle(), 1, "sleep");

      AgentOutcome outcome = agent.run(agent.commandRun("true", MINUTE, MINUTE));

      assertThat(outcome.status()).isEqualTo(AgentStatus.SUCCEEDED);
      assertThat(leftover.waitFor(5, TimeUnit.SECONDS)).as("leftover agent killed").isTrue();
    } finally {
      leftover.destroyForcibly();
    }
  }

  @Test
  void leavesAProcessThatReusedTheRecordedPidAlone() throws Exception {
    Process stranger = new ProcessBuilder("sleep", "600").start();
    try {
      Instant otherStart =
          stranger.toHandle().info().startInstant().orElseThrow().minusSeconds(3600);
      Json.MAPPER.writeValue(
          Files.createDirectories(agent.pidRecord().getParent()).resolve("agent.pid").toFile(),
          new PidRecord(stranger.pid(), otherStart.toString(), 1, "claude"));

      AgentOutcome outcome = agent.run(agent.commandRun("true", MINUTE, MINUTE));

      assertThat(outcome.status()).isEqualTo(AgentStatus.SUCCEEDED);
      assertThat(stranger.isAlive()).isTrue();
    } finally {
      stranger.destroyForcibly();
    }
  }

  @Test
  void rejectsAnUnknownAgentTypeAsInvalidInput() {
    AgentRun run = agent.commandRun("true", MINUTE, MINUTE);
    AgentRun unknown =
        new AgentRun(
            run.taskId(),
            1,
            new AgentConfig("codex", null, null, null, List.of(), List.of()),
            run.workspace(),
            null,
            false,
            "p",
            List.of(),
            MINUTE,
            MINUTE);

    assertNonRetryableFailure(
        () -> agent.run(unknown), FailureType.INVALID_INPUT, "Unknown agent type 'codex'");
  }

  @Test
  void aMissingClaudeExecutableIsAgentNotInstalled() {
    AgentRun run = agent.claudeRun("hello");

    assertNonRetryableFailure(
        () -> agent.run(run),
        FailureType.AGENT_NOT_INSTALLED,
        "TASKWRIGHT_CLAUDE_BIN",
        "npm install");
  }

  private static void assertNonRetryableFailure(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
      FailureType type,
      String... messageParts) {
    assertThatThrownBy(call)
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(type.type());
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage()).contains(messageParts);
            });
  }
}
