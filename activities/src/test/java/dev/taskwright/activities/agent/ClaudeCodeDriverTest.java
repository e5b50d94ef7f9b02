package dev.taskwright.activities.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.testing.ClaudeCli;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelRequest;
import dev.taskwright.testing.ModelScript;
import dev.taskwright.testing.ScriptedModelServer;
import dev.taskwright.workflows.Prompts;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentProgress;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.Question;
import dev.taskwright.workflows.model.SubtaskRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Claude Code driver with the real, pinned CLI talking to a scripted model. */
class ClaudeCodeDriverTest {

  @TempDir Path temp;
  private ScriptedModelServer model;
  private Path cliHome;
  private AgentTestSupport agent;

  @BeforeEach
  void setUp() throws IOException {
    model = ScriptedModelServer.start(ModelScript.always(ModelReply.text("no script set")));
    cliHome = temp.resolve("cli-home");
    agent =
        new AgentTestSupport(temp, ClaudeCli.locate().toString(), model.cliEnvironment(cliHome));
  }

  @AfterEach
  void tearDown() {
    agent.close();
    model.close();
    assertThat(model.scriptFailures()).isEmpty();
  }

  @Test
  void theModelWritesAndEditsFilesThroughTheRealTools() throws IOException {
    Path hello = agent.worktree.resolve("hello.txt");
    model.script(
        ModelScript.turns(
            ModelReply.write(hello, "hello world\n"),
            ModelReply.edit(hello, "world", "taskwright"),
            ModelReply.write(
                agent.controlFiles().summary(), "Created hello.txt and greeted taskwright.\n"),
            ModelReply.text("All done.\n\n## Summary\nThe result's own summary.")));
    AgentRun run = agent.claudeRun("Create hello.txt");

    AgentOutcome outcome = agent.run(run);

    assertThat(outcome.status()).as("outcome %s", outcome).isEqualTo(AgentStatus.SUCCEEDED);
    assertThat(hello).hasContent("hello taskwright");
    assertThat(outcome.summary())
        .as("the summary file wins")
        .isEqualTo("Created hello.txt and greeted taskwright.");
    assertThat(outcome.sessionId()).isEqualTo(run.sessionId());
    assertThat(outcome.usage().turns()).isPositive();
    assertThat(outcome.usage().costUsd()).isPositive();
    assertThat(Path.of(outcome.logPath())).isEqualTo(agent.home.logs("t1").resolve("run-1.jsonl"));
    assertThat(Files.readString(Path.of(outcome.logPath())))
        .contains("\"type\":\"result\"")
        .contains("File created successfully");
    Path sessionFile =
        cliHome
            .resolve(".claude/projects")
            .resolve(ClaudeSessions.projectFolderName(agent.worktree))
            .resolve(run.sessionId() + ".jsonl");
    assertThat(sessionFile).exists();

    List<ModelRequest> requests = model.requests();
    assertThat(requests).hasSize(4);
    assertThat(requests.get(0).userTexts()).containsExactly("Create hello.txt");
    assertThat(requests.get(0).systemPrompt())
        .contains(agent.controlFiles().summary().toString())
        .contains(agent.controlFiles().question().toString());
    assertThat(requests.get(2).lastToolResultText()).contains("updated");
    assertThat(agent.heartbeats)
        .isNotEmpty()
        .allMatch(progress -> run.sessionId().equals(progress.sessionId()));
  }

  @Test
  void takesTheSummaryFromTheLastSummaryHeadingOfTheResult() {
    model.script(
        ModelScript.always(
            ModelReply.text(
                """
                ## Summary
                an early draft

                Work log.

                ## Summary
                Changed nothing, on purpose.\
                """)));

    AgentOutcome outcome = agent.run(agent.claudeRun("Look around"));

    assertThat(outcome.status()).isEqualTo(AgentStatus.SUCCEEDED);
    assertThat(outcome.summary()).isEqualTo("Changed nothing, on purpose.");
  }

  @Test
  void aResumedRunCarriesTheEarlierConversation() {
    Path notes = agent.worktree.resolve("notes.txt");
    model.script(
        ModelScript.turns(
            ModelReply.write(notes, "first\n"), ModelReply.text("First part finished.")));
    AgentRun first = agent.claudeRun("Do the first part");
    agent.run(first);
    model.script(ModelScript.always(ModelReply.text("Second part finished.")));

    AgentRun second =
        agent.claudeRun(
            first.agent(),
            first.sessionId(),
            true,
            2,
            "Now the second part",
            Duration.ofSeconds(60),
            Duration.ofSeconds(30));
    AgentOutcome outcome = agent.run(second);

    assertThat(outcome.status()).isEqualTo(AgentStatus.SUCCEEDED);
    assertThat(outcome.sessionId()).isEqualTo(first.sessionId());
    ModelRequest resumed = model.requests().get(model.requests().size() - 1);
    assertThat(resumed.userTexts()).containsSubsequence("Do the first part", "Now the second part");
    assertThat(resumed.conversationContains("First part finished.")).isTrue();
    assertThat(resumed.sessionId()).isEqualTo(first.sessionId());
    assertThat(agent.home.logs("t1").resolve("run-2.jsonl")).exists();
  }

  @Test
  void anInterruptedAttemptContinuesItsSession() {
    model.script(ModelScript.turns(ModelReply.text("Started on it.")));
    AgentRun run = agent.claudeRun("Build the thing");
    agent.run(run);

    // The worker died mid-run: the retried attempt finds the dead attempt's heartbeat details.
    agent
        .newAttempt()
        .environment()
        .setHeartbeatDetails(new AgentProgress(run.sessionId(), 1, 100, 0.01, "tool Write"));
    model.script(ModelScript.always(ModelReply.text("Continued and finished.")));
    AgentOutcome outcome = agent.run(run);

    assertThat(outcome.status()).isEqualTo(AgentStatus.SUCCEEDED);
    assertThat(outcome.sessionId()).isEqualTo(run.sessionId());
    ModelRequest continued = model.requests().get(model.requests().size() - 1);
    assertThat(continued.lastUserText()).isEqualTo(Prompts.CONTINUE_AFTER_INTERRUPTION);
    assertThat(continued.userTexts()).contains("Build the thing");
    assertThat(continued.conversationContains("Started on it.")).isTrue();
  }

  @Test
  void anInterruptedAttemptWhoseSessionWasNeverCreatedStartsAfresh() {
    AgentRun run =
        new AgentRun(
            "t1",
            1,
            AgentConfig.claude(null),
            agent.workspace,
            UUID.randomUUID().toString(),
            false,
            "Build the thing",
            List.of("the linter was not installed"),
            Duration.ofSeconds(60),
            Duration.ofSeconds(30));
    agent.environment().setHeartbeatDetails(new AgentProgress(run.sessionId(), 0, 0, 0, "started"));
    model.script(ModelScript.always(ModelReply.text("Done from scratch.")));

    AgentOutcome outcome = agent.run(run);

    assertThat(outcome.status()).isEqualTo(AgentStatus.SUCCEEDED);
    ModelRequest request = model.requests().get(0);
    assertThat(request.assistantTurns()).isZero();
    assertThat(request.userTexts()).containsExactly("Build the thing");
    assertThat(request.systemPrompt()).contains("1. the linter was not installed");
  }

  @Test
  void aRateLimitedModelMakesTheRunRateLimited() {
    model.script(ModelScript.always(ModelReply.rateLimited()));
    AgentRun run = agent.claudeRun("Anything");

    AgentOutcome outcome = agent.run(run);

    assertThat(outcome.status()).isEqualTo(AgentStatus.RATE_LIMITED);
    assertThat(outcome.error()).contains("429");
    assertThat(outcome.sessionId()).isEqualTo(run.sessionId());
  }

  @Test
  void aQuestionFileMakesTheRunAQuestion() throws IOException {
    String question =
        Json.MAPPER.writeValueAsString(
            Map.of("question", "Postgres or SQLite?", "options", List.of("Postgres", "SQLite")));
    model.script(
        ModelScript.turns(
            ModelReply.write(agent.controlFiles().question(), question),
            ModelReply.text("I asked which database to use.")));

    AgentOutcome outcome = agent.run(agent.claudeRun("Add a database"));

    assertThat(outcome.status()).isEqualTo(AgentStatus.QUESTION);
    assertThat(outcome.question())
        .isEqualTo(new Question("Postgres or SQLite?", List.of("Postgres", "SQLite")));
  }

  @Test
  void subtasksTheModelWritesWithItsWriteToolComeWithTheOutcome() {
    String subtasks =
        """
        [{"name": "schema", "title": "Design the schema", "prompt": "Write schema.sql"},
         {"name": "api", "title": "Build the API", "prompt": "Write api.py", "dependsOn": ["schema"]}]
        """;
    model.script(
        ModelScript.turns(
            ModelReply.write(agent.controlFiles().subtasks(), subtasks),
            ModelReply.text("Split the work in two.")));

    AgentOutcome outcome = agent.run(agent.claudeRun("Build a small service"));

    assertThat(outcome.status()).as("outcome %s", outcome).isEqualTo(AgentStatus.SUCCEEDED);
    assertThat(outcome.subtasks())
        .containsExactly(
            new SubtaskRequest("schema", "Design the schema", "Write schema.sql", List.of()),
            new SubtaskRequest("api", "Build the API", "Write api.py", List.of("schema")));
    assertThat(model.requests().get(0).systemPrompt())
        .contains(
            "write them to "
                + agent.controlFiles().subtasks()
                + " as a JSON array with one object per subtask");
    assertThat(model.requests().get(1).lastToolResultText())
        .as("the CLI let the model write outside the worktree")
        .contains("created");
  }

  @Test
  void anAskUserQuestionCallStopsTheRunWithAQuestion() {
    model.script(
        ModelScript.turns(
            ModelReply.askUserQuestion("Which license?", "MIT", "Apache-2.0"),
            // Were the run not stopped, the CLI would refuse the tool and the model would go on.
            ModelReply.hang()));

    AgentOutcome outcome = agent.run(agent.claudeRun("Add a license"));

    assertThat(outcome.status()).isEqualTo(AgentStatus.QUESTION);
    assertThat(outcome.question())
        .isEqualTo(new Question("Which license?", List.of("MIT", "Apache-2.0")));
  }

  @Test
  void exceedingTheBudgetMakesTheRunBudgetExceeded() {
    model.script(
        ModelScript.always(ModelReply.text("Expensive thoughts.").withUsage(1_000_000, 1_000)));
    AgentConfig budget =
        new AgentConfig(AgentConfig.CLAUDE, null, null, 0.01, List.of(), List.of());

    AgentOutcome outcome =
        agent.run(
            agent.claudeRun(
                budget,
                UUID.randomUUID().toString(),
                false,
                1,
                "Think",
                Duration.ofSeconds(60),
                Duration.ofSeconds(30)));

    assertThat(outcome.status()).isEqualTo(AgentStatus.BUDGET_EXCEEDED);
    assertThat(outcome.error()).contains("budget");
    assertThat(outcome.usage().costUsd()).isGreaterThan(0.01);
  }

  @Test
  void theIdleWatchdogKillsAHangingRun() {
    model.script(ModelScript.always(ModelReply.hang()));
    Instant start = Instant.now();

    AgentOutcome outcome =
        agent.run(
            agent.claudeRun(
                AgentConfig.claude(null),
                UUID.randomUUID().toString(),
                false,
                1,
                "Hang",
                Duration.ofSeconds(60),
                Duration.ofSeconds(2)));

    assertThat(outcome.status()).isEqualTo(AgentStatus.FAILED);
    assertThat(outcome.error()).contains("idle watchdog");
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(15));
    assertThat(agent.pidRecord()).doesNotExist();
  }

  @Test
  void aRunPastItsTimeoutIsTimedOut() {
    model.script(
        ModelScript.always(
            ModelReply.text("slow words ".repeat(40)).slowly(Duration.ofMillis(100))));

    AgentOutcome outcome =
        agent.run(
            agent.claudeRun(
                AgentConfig.claude(null),
                UUID.randomUUID().toString(),
                false,
                1,
                "Talk",
                Duration.ofSeconds(2),
                Duration.ofSeconds(30)));

    assertThat(outcome.status()).isEqualTo(AgentStatus.TIMED_OUT);
  }

  @Test
  void aNewAttemptKillsTheAgentTheDeadWorkerLeftBehind() throws Exception {
    model.script(ModelScript.always(ModelReply.hang()));
    ProcessBuilder leftoverCli =
        new ProcessBuilder(
                ClaudeCli.locate().toString(), "-p", "--output-format", "stream-json", "--verbose")
            .directory(agent.worktree.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    leftoverCli.environment().putAll(model.cliEnvironment(cliHome));
    Process leftover = leftoverCli.start();
    try {
      leftover
          .getOutputStream()
          .write("Keep going\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      leftover.getOutputStream().close();
      AgentTestSupport.waitUntil(
          Duration.ofSeconds(10),
          "the leftover agent asks the model",
          () -> !model.requests().isEmpty());
      PidRecords.write(agent.pidRecord(), leftover.toHandle(), 1, "claude");
      model.script(ModelScript.always(ModelReply.text("Fresh attempt.")));

      AgentOutcome outcome = agent.run(agent.claudeRun("Start over"));

      assertThat(leftover.waitFor(5, TimeUnit.SECONDS))
          .as("the leftover agent was killed")
          .isTrue();
      assertThat(outcome.status()).isEqualTo(AgentStatus.SUCCEEDED);
    } finally {
      leftover.destroyForcibly();
    }
  }

  @Test
  void anAgentThatCrashesWithoutAResultFailsWithItsStderr() throws IOException {
    Path fakeClaude = temp.resolve("crashing-claude");
    Files.writeString(
        fakeClaude, "#!/bin/sh\necho 'Segmentation fault in the agent' >&2\nexit 139\n");
    fakeClaude.toFile().setExecutable(true);
    try (AgentTestSupport crashing =
        new AgentTestSupport(temp.resolve("crash"), fakeClaude.toString(), Map.of())) {
      AgentRun run = crashing.claudeRun("Anything");

      AgentOutcome outcome = crashing.run(run);

      assertThat(outcome.status()).isEqualTo(AgentStatus.FAILED);
      assertThat(outcome.error())
          .isEqualTo(
              "Claude Code exited with code 139 without a result: Segmentation fault in the agent");
      assertThat(outcome.sessionId()).as("the CLI never created the session").isNull();
    }
  }
}
