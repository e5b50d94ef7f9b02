package dev.taskwright.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TemporalCliTool;
import dev.taskwright.starter.support.Worktrees;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.starter.temporal.TemporalSettings;
import dev.taskwright.testing.ClaudeCli;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelRequest;
import dev.taskwright.testing.ScriptedModelServer;
import dev.taskwright.workflows.Names;
import dev.taskwright.workflows.model.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's "done when", with every part real: `dev` on the Temporal CLI's server with the embedded
 * PostgreSQL ledger, the real Claude Code CLI against the scripted model. Ten tasks are started;
 * `watch` shows all ten; `logs -f` follows one; the one blocked on a question is answered with the
 * `answer` signal, as from the Web UI; all are accepted; then `dev` (with its Temporal server and
 * its PostgreSQL) is stopped and started again, and `list` and `stats` still find all ten with
 * their costs.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TenTasksAcrossARestartEndToEndTest {

  private static final Pattern TASK = Pattern.compile("Task (note-\\d+|ask-1):");
  private static final Duration WITHIN = Duration.ofSeconds(60);

  @TempDir Path temp;
  private ScriptedModelServer model;
  private Path home;

  @AfterEach
  void stopModel() {
    if (model != null) {
      model.close();
      assertThat(model.scriptFailures()).as("the model script never failed").isEmpty();
    }
    assertThat(TemporalCliTool.serversUsing(home)).as("Temporal servers left running").isEmpty();
  }

  @Test
  void tenTasksAreWatchedFollowedAnsweredAcceptedAndStillListedWithTheirCostsAfterARestart()
      throws Exception {
    home = temp.resolve("home");
    Path repo = GitRepos.create(temp.resolve("repo"));
    model = ScriptedModelServer.start(this::reply);
    String address = "127.0.0.1:" + TemporalCliTool.freePortWithFreeUiPort();
    CliRun cli =
        CliRun.with()
            .home(home)
            .temporal(address)
            .in(repo)
            .env("PATH", TemporalCliTool.pathWithoutTemporal(System.getenv("PATH")))
            .env(CliEnvironment.TEMPORAL_CLI, TemporalCliTool.locate().toString())
            .env(CliEnvironment.CLAUDE_BIN, ClaudeCli.locate().toString());
    model.cliEnvironment(temp.resolve("claude-home")).forEach(cli::env);

    CliRun.Background dev = startDev(cli);
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      ids.add("note-" + i);
    }
    ids.add("ask-1");
    for (String id : ids) {
      var run = cli.run("run", "--id", id, "Task " + id + ": write " + id + ".txt");
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    }
    for (String id : ids) {
      cli.awaitState(id, id.equals("ask-1") ? "BLOCKED" : "READY", WITHIN);
    }

    // watch: all ten are active (nine wait for review, one for an answer), the question in its row.
    var watch = cli.run("watch", "--once");
    assertThat(watch.exitCode()).as(watch.toString()).isZero();
    assertThat(watch.out()).contains(ids.toArray(String[]::new)).contains("Which tone?");

    // logs -f follows a task's transcript until it is stopped.
    CliRun.Background follow = cli.start("logs", "note-3", "-f");
    follow.awaitOut("Wrote note-3.txt.", WITHIN);
    assertThat(follow.stop().exitCode()).isZero();

    // The Web UI's "Send a signal": answer, with the reply as its JSON payload.
    try (TemporalConnection connection =
        TemporalConnection.connect(TemporalSettings.local(address))) {
      connection
          .client()
          .newUntypedWorkflowStub("ask-1")
          .signal(Names.ANSWER, new Reply("friendly"));
    }
    cli.awaitState("ask-1", "READY", WITHIN);
    for (String id : ids) {
      var accept = cli.run("accept", id);
      assertThat(accept.exitCode()).as(accept.toString()).isEqualTo(ExitCodes.OK);
    }

    // Restart everything: dev, its Temporal server and its PostgreSQL.
    assertThat(dev.stop().exitCode()).isZero();
    assertThat(home.resolve("postgres/data/postmaster.pid"))
        .as("dev stopped its PostgreSQL")
        .doesNotExist();
    dev = startDev(cli);
    try {
      JsonNode listed = json(cli.run("list", "--output", "json"));
      assertThat(listed).hasSize(10);
      double listedCost = 0;
      for (JsonNode task : listed) {
        assertThat(task.path("state").asText()).as(task.toString()).isEqualTo("COMPLETED");
        assertThat(task.path("usage").path("costUsd").asDouble())
            .as(
                "the cost of %s: %s",
                task.path("id"), cli.run("show", task.path("id").asText()).out())
            .isPositive();
        listedCost += task.path("usage").path("costUsd").asDouble();
      }
      assertThat(listed)
          .extracting(task -> task.path("id").asText())
          .containsExactlyInAnyOrderElementsOf(ids);

      JsonNode stats = json(cli.run("stats", "--by", "repo", "--output", "json"));
      assertThat(stats.path("total").path("tasks").asLong()).isEqualTo(10);
      assertThat(stats.path("total").path("runs").asLong())
          .as("one run each, and the answered task's second")
          .isEqualTo(11);
      assertThat(stats.path("total").path("costUsd").asDouble())
          .isCloseTo(listedCost, org.assertj.core.data.Offset.offset(1e-9));

      JsonNode shown = json(cli.run("show", "ask-1", "--output", "json"));
      assertThat(shown.path("runs"))
          .extracting(run -> run.path("kind").asText())
          .containsExactly("FIRST", "ANSWER");
    } finally {
      assertThat(dev.stop().exitCode()).isZero();
    }
  }

  private static CliRun.Background startDev(CliRun cli) throws InterruptedException {
    CliRun.Background dev = cli.start("dev");
    dev.awaitErr("taskwright dev is ready", Duration.ofSeconds(60));
    return dev;
  }

  private static JsonNode json(CliRun.Result result) throws IOException {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return new ObjectMapper().readTree(result.out());
  }

  /**
   * note-N writes note-N.txt and sums up; ask-1 first asks which tone, and writes once answered.
   */
  private ModelReply reply(ModelRequest request) {
    String id =
        request.userTexts().stream()
            .map(TASK::matcher)
            .filter(Matcher::find)
            .map(m -> m.group(1))
            .findFirst()
            .orElse(null);
    if (id == null) {
      return ModelReply.text("I was not given a task.");
    }
    if (id.equals("ask-1") && !request.conversationContains("friendly")) {
      return request.assistantTurns() == 0
          ? ModelReply.askUserQuestion("Which tone?", "friendly", "formal")
          : ModelReply.text("Waiting for an answer.");
    }
    if (request.toolResults().isEmpty() || !request.conversationContains(id + ".txt")) {
      return ModelReply.write(worktree(id).resolve(id + ".txt"), "written for " + id + "\n");
    }
    return ModelReply.text("Wrote " + id + ".txt.\n\n## Summary\nWrote " + id + ".txt.");
  }

  private Path worktree(String id) {
    return Worktrees.find(home, id);
  }
}
