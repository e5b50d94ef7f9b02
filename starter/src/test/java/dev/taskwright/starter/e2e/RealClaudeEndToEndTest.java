package dev.taskwright.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.RealClaudeSandbox;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code taskwright run --auto-accept --wait} end to end with the REAL Claude Code CLI, pointed at
 * a scripted Messages API server: an in-process Temporal server and worker, a real temp repository,
 * the CLI's real tools writing real files, real sessions and {@code --resume}.
 */
class RealClaudeEndToEndTest {

  @RegisterExtension final RealClaudeSandbox sandbox = new RealClaudeSandbox();

  @Test
  void theRealCliWritesAndEditsFilesAndTheTaskCompletesWithACommitAndSummary() throws Exception {
    String id = "e2e-hello";
    // The worktree's path is known only once the worker made it, so each reply finds it then.
    sandbox
        .model()
        .script(
            request ->
                switch (request.assistantTurns()) {
                  case 0 ->
                      ModelReply.write(sandbox.worktree(id).resolve("hello.txt"), "hello world\n");
                  case 1 ->
                      ModelReply.edit(
                          sandbox.worktree(id).resolve("hello.txt"), "world", "taskwright");
                  default ->
                      ModelReply.text(
                          "Done.\n\n## Summary\nCreated hello.txt and greeted taskwright.");
                });

    var run =
        sandbox
            .cli()
            .run(
                "run",
                "--id",
                id,
                "--repo",
                sandbox.repo().toString(),
                "--auto-accept",
                "--wait",
                "Create hello.txt that greets taskwright");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.err())
        .containsSubsequence(
            id + ": PREPARING",
            id + ": RUNNING - agent run 1",
            id + ": COMMITTING",
            id + ": COMPLETED");
    assertThat(GitRepos.git(sandbox.repo(), "show", "taskwright/" + id + ":hello.txt"))
        .isEqualTo("hello taskwright");
    String commit = GitRepos.git(sandbox.repo(), "rev-parse", "taskwright/" + id);
    assertThat(GitRepos.git(sandbox.repo(), "log", "-1", "--format=%B", commit))
        .contains("Taskwright-Task: " + id);

    JsonNode view = sandbox.cli().statusJson(id);
    assertThat(view.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(view.get("commits")).extracting(JsonNode::asText).containsExactly(commit);
    assertThat(view.get("summary").asText()).isEqualTo("Created hello.txt and greeted taskwright.");
    String sessionId = view.get("sessionId").asText();
    assertThat(sandbox.model().requests())
        .isNotEmpty()
        .allSatisfy(request -> assertThat(request.sessionId()).isEqualTo(sessionId));
    assertThat(view.get("usage").get("costUsd").asDouble()).isPositive();

    Path transcript = sandbox.home().resolve("logs").resolve(id).resolve("run-1.jsonl");
    assertThat(transcript).exists();
    assertThat(Files.readString(transcript))
        .contains("\"session_id\":\"" + sessionId + "\"", "\"type\":\"result\"");

    var status = sandbox.cli().run("status", id);
    assertThat(status.out())
        .contains(
            "COMPLETED",
            commit.substring(0, 10),
            sessionId,
            "Created hello.txt and greeted taskwright.");

    // The transcript the real CLI wrote, rendered for people: the header, the tool call on one
    // line, its result abridged, the agent's words and the closing line with turns and cost.
    var logs = sandbox.cli().run("logs", id);
    assertThat(logs.exitCode()).as(logs.toString()).isZero();
    assertThat(logs.out().lines()).first().isEqualTo("== run 1 ==");
    assertThat(logs.out())
        .contains("# session " + sessionId)
        .containsPattern("(?m)^→ Write \\S*hello\\.txt$")
        .containsPattern("(?m)^← .*hello\\.txt")
        .contains("Created hello.txt and greeted taskwright.")
        .containsPattern("(?m)^= success: \\d+ turns, cost \\$[0-9.]+, tokens \\d+ in / \\d+ out$");
  }

  @Test
  void aFailedFirstRunIsRetriedByResumingTheSameSession() throws Exception {
    String id = "e2e-retry";
    sandbox
        .model()
        .script(
            request -> {
              if (!request.conversationContains("The previous attempt failed with:")) {
                // Not a 429 (that is a rate limit, handled differently): an error the CLI reports
                // as is_error.
                return ModelReply.error(
                    400, "invalid_request_error", "scripted failure of the first run");
              }
              return request.toolResults().isEmpty()
                  ? ModelReply.write(
                      sandbox.worktree(id).resolve("fixed.txt"), "fixed on the second run\n")
                  : ModelReply.text(
                      "Recovered.\n\n## Summary\nWrote fixed.txt after the first run failed.");
            });

    var run = sandbox.cli().run("run", "--id", id, "--auto-accept", "--wait", "Write fixed.txt");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.err())
        .containsSubsequence(
            id + ": RUNNING - agent run 1", id + ": RUNNING - agent run 2", id + ": COMPLETED");
    assertThat(GitRepos.git(sandbox.repo(), "show", "taskwright/" + id + ":fixed.txt"))
        .isEqualTo("fixed on the second run");

    JsonNode view = sandbox.cli().statusJson(id);
    assertThat(view.get("attempts").asInt()).isEqualTo(2);
    assertThat(view.get("summary").asText())
        .isEqualTo("Wrote fixed.txt after the first run failed.");
    String sessionId = view.get("sessionId").asText();

    List<ModelRequest> requests = sandbox.model().requests();
    ModelRequest first = requests.get(0);
    ModelRequest retried =
        requests.stream()
            .filter(r -> r.conversationContains("The previous attempt failed with:"))
            .findFirst()
            .orElseThrow();
    assertThat(first.sessionId()).isEqualTo(sessionId);
    assertThat(retried.sessionId()).as("the retry resumed the same session").isEqualTo(sessionId);
    assertThat(retried.userTexts())
        .as("the server saw the earlier conversation")
        .first()
        .asString()
        .contains("Write fixed.txt");
    assertThat(retried.lastUserText()).contains("scripted failure of the first run");
    assertThat(sandbox.home().resolve("logs").resolve(id).resolve("run-1.jsonl")).exists();
    assertThat(sandbox.home().resolve("logs").resolve(id).resolve("run-2.jsonl")).exists();
  }
}
