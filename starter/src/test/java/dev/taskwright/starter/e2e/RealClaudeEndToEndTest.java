package dev.taskwright.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.activities.Home;
import dev.taskwright.activities.agent.AgentSettings;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TemporalFixture;
import dev.taskwright.starter.worker.WorkerSettings;
import dev.taskwright.testing.ClaudeCli;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelRequest;
import dev.taskwright.testing.ModelScript;
import dev.taskwright.testing.ScriptedModelServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taskwright run --auto-accept --wait} end to end with the REAL Claude Code CLI, pointed at
 * a scripted Messages API server: an in-process Temporal server and worker, a real temp
 * repository, the CLI's real tools writing real files, real sessions and {@code --resume}.
 */
class RealClaudeEndToEndTest {

  @TempDir Path temp;
  private Path home;
  private Path repo;
  private ScriptedModelServer model;
  private TemporalFixture temporal;

  @BeforeEach
  void setUp() throws Exception {
    home = temp.resolve("home");
    repo = GitRepos.create(temp.resolve("repo"));
    Path claude = ClaudeCli.locate();
    model = ScriptedModelServer.start(ModelScript.always(ModelReply.text("no script set")));
    AgentSettings agents = new AgentSettings(claude.toString(), model.cliEnvironment(temp.resolve("claude-home")));
    temporal = TemporalFixture.start().withWorker(new WorkerSettings(new Home(home), "e2e-host", agents, 1));
  }

  @AfterEach
  void tearDown() {
    if (temporal != null) {
      temporal.close();
    }
    if (model != null) {
      model.close();
      assertThat(model.scriptFailures()).isEmpty();
    }
  }

  private CliRun cli() {
    return CliRun.with()
        .home(home)
        .temporal(temporal.address())
        .in(repo)
        .env("TASKWRIGHT_CLAUDE_BIN", ClaudeCli.locate().toString());
  }

  /** The task's worktree, found where the worker made it: {@code <home>/worktrees/<repo folder>/<id>}. */
  private Path worktree(String taskId) {
    try (Stream<Path> repos = Files.list(home.resolve("worktrees"))) {
      Optional<Path> found = repos.map(folder -> folder.resolve(taskId)).filter(Files::isDirectory).findFirst();
      return found.orElseThrow(() -> new AssertionError("no worktree for " + taskId + " under " + home.resolve("worktrees")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theRealCliWritesAndEditsFilesAndTheTaskCompletesWithACommitAndSummary() throws Exception {
    String id = "e2e-hello";
    // The worktree's path is known only once the worker made it, so each reply finds it then.
    model.script(
        request ->
            switch (request.assistantTurns()) {
              case 0 -> ModelReply.write(worktree(id).resolve("hello.txt"), "hello world\n");
              case 1 -> ModelReply.edit(worktree(id).resolve("hello.txt"), "world", "taskwright");
              default -> ModelReply.text("Done.\n\n## Summary\nCreated hello.txt and greeted taskwright.");
            });

    var run = cli().run("run", "--id", id, "--repo", repo.toString(), "--auto-accept", "--wait", "Create hello.txt that greets taskwright");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.err()).containsSubsequence(id + ": PREPARING", id + ": RUNNING - agent run 1", id + ": COMMITTING", id + ": COMPLETED");
    assertThat(GitRepos.git(repo, "show", "taskwright/" + id + ":hello.txt")).isEqualTo("hello taskwright");
    String commit = GitRepos.git(repo, "rev-parse", "taskwright/" + id);
    assertThat(GitRepos.git(repo, "log", "-1", "--format=%B", commit)).contains("Taskwright-Task: " + id);

    JsonNode view = statusJson(id);
    assertThat(view.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(view.get("commits")).extracting(JsonNode::asText).containsExactly(commit);
    assertThat(view.get("summary").asText()).isEqualTo("Created hello.txt and greeted taskwright.");
    String sessionId = view.get("sessionId").asText();
    assertThat(model.requests()).isNotEmpty().allSatisfy(request -> assertThat(request.sessionId()).isEqualTo(sessionId));
    assertThat(view.get("usage").get("costUsd").asDouble()).isPositive();

    Path transcript = home.resolve("logs").resolve(id).resolve("run-1.jsonl");
    assertThat(transcript).exists();
    assertThat(Files.readString(transcript)).contains("\"session_id\":\"" + sessionId + "\"", "\"type\":\"result\"");

    var status = cli().run("status", id);
    assertThat(status.out()).contains("COMPLETED", commit.substring(0, 10), sessionId, "Created hello.txt and greeted taskwright.");
  }

  @Test
  void aFailedFirstRunIsRetriedByResumingTheSameSession() throws Exception {
    String id = "e2e-retry";
    model.script(
        request -> {
          if (!request.conversationContains("The previous attempt failed with:")) {
            // Not a 429 (that is a rate limit, handled differently): an error the CLI reports as is_error.
            return ModelReply.error(400, "invalid_request_error", "scripted failure of the first run");
          }
          return request.toolResults().isEmpty()
              ? ModelReply.write(worktree(id).resolve("fixed.txt"), "fixed on the second run\n")
              : ModelReply.text("Recovered.\n\n## Summary\nWrote fixed.txt after the first run failed.");
        });

    var run = cli().run("run", "--id", id, "--auto-accept", "--wait", "Write fixed.txt");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.err()).containsSubsequence(id + ": RUNNING - agent run 1", id + ": RUNNING - agent run 2", id + ": COMPLETED");
    assertThat(GitRepos.git(repo, "show", "taskwright/" + id + ":fixed.txt")).isEqualTo("fixed on the second run");

    JsonNode view = statusJson(id);
    assertThat(view.get("attempts").asInt()).isEqualTo(2);
    assertThat(view.get("summary").asText()).isEqualTo("Wrote fixed.txt after the first run failed.");
    String sessionId = view.get("sessionId").asText();

    List<ModelRequest> requests = model.requests();
    ModelRequest first = requests.get(0);
    ModelRequest retried = requests.stream().filter(r -> r.conversationContains("The previous attempt failed with:")).findFirst().orElseThrow();
    assertThat(first.sessionId()).isEqualTo(sessionId);
    assertThat(retried.sessionId()).as("the retry resumed the same session").isEqualTo(sessionId);
    assertThat(retried.userTexts()).as("the server saw the earlier conversation").first().asString().contains("Write fixed.txt");
    assertThat(retried.lastUserText()).contains("scripted failure of the first run");
    assertThat(home.resolve("logs").resolve(id).resolve("run-1.jsonl")).exists();
    assertThat(home.resolve("logs").resolve(id).resolve("run-2.jsonl")).exists();
  }

  private JsonNode statusJson(String id) throws IOException {
    var status = cli().run("status", id, "--output", "json");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    return new ObjectMapper().readTree(status.out());
  }
}
