package dev.taskwright.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.RealClaudeSandbox;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelRequest;
import dev.taskwright.workflows.Prompts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The waits for a person end to end, with the REAL Claude Code CLI talking to a scripted model, an
 * in-process Temporal server and worker, and real git: a question asked through the question file
 * and through {@code AskUserQuestion}, each answered with {@code taskwright answer} into the same
 * conversation; a usage limit (429) that waits on a durable timer and then completes; a real merge
 * conflict resolved by the agent after {@code taskwright retry}.
 */
class PeopleInTheLoopEndToEndTest {

  @RegisterExtension final RealClaudeSandbox sandbox = new RealClaudeSandbox();

  private static final String PROMPT = "Write a greeting for the crew";
  private static final String ANSWER = "Greet the crew with ahoy.";
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private CliRun cli() {
    return sandbox.cli();
  }

  /**
   * Asks with {@code question} as the model's first reply (then says {@code meanwhile} if the run
   * goes on); once the answer is in, writes greeting.txt and finishes with a summary.
   */
  private void askThenGreet(String id, ModelReply question, String meanwhile) {
    sandbox
        .model()
        .script(
            request -> {
              if (request.conversationContains(ANSWER)) {
                return greetAndFinish(request, id);
              }
              return request.assistantTurns() == 0 ? question : ModelReply.text(meanwhile);
            });
  }

  /** Once the answer is in: write greeting.txt, then finish with a summary. */
  private ModelReply greetAndFinish(ModelRequest request, String id) {
    return request.conversationContains("greeting.txt")
        ? ModelReply.text("Done.\n\n## Summary\nWrote greeting.txt: ahoy.")
        : ModelReply.write(sandbox.worktree(id).resolve("greeting.txt"), "ahoy\n");
  }

  /**
   * The first request the model saw after {@code earlier} requests, i.e. the first of the resumed
   * run.
   */
  private ModelRequest requestAfter(int earlier) {
    List<ModelRequest> requests = sandbox.model().requests();
    assertThat(requests).as("the agent ran again").hasSizeGreaterThan(earlier);
    return requests.get(earlier);
  }

  private static void assertExit(CliRun.Result result, int exitCode) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
  }

  /**
   * The answer reaches the model as the next user message of the conversation the question came
   * from.
   */
  private void assertAnsweredInTheSameConversation(ModelRequest resumed, String sessionId) {
    assertThat(resumed.sessionId()).as("same session").isEqualTo(sessionId);
    assertThat(resumed.lastUserText()).isEqualTo(ANSWER);
    assertThat(resumed.userTexts().get(0)).as("the earlier turns are there").contains(PROMPT);
    assertThat(resumed.conversationContains("Which greeting?")).isTrue();
  }

  @Test
  void aQuestionInTheQuestionFileBlocksTheTaskAndTheAnswerContinuesTheConversation()
      throws Exception {
    String id = "e2e-ask-file";
    askThenGreet(
        id,
        ModelReply.write(
            sandbox.questionFile(id),
            "{\"question\": \"Which greeting?\", \"options\": [\"hello\", \"ahoy\"]}"),
        "I asked which greeting to use.");

    var run = cli().run("run", "--id", id, "--auto-accept", "--wait", PROMPT);

    assertExit(run, ExitCodes.TASK_NOT_SUCCESSFUL);
    assertThat(run.out()).contains("BLOCKED (QUESTION)", "Which greeting?", "- hello", "- ahoy");
    var status = cli().run("status", id);
    assertThat(status.out())
        .containsPattern("Question +Which greeting\\?")
        .contains("taskwright answer " + id + " \"<your answer>\"");
    String sessionId = cli().statusJson(id).get("sessionId").asText();
    int before = sandbox.model().requests().size();

    var answer = cli().run("answer", id, ANSWER, "--wait");

    assertExit(answer, ExitCodes.OK);
    assertThat(answer.out())
        .contains(id + ": answer taken; the agent resumes session " + sessionId, "COMPLETED");
    assertAnsweredInTheSameConversation(requestAfter(before), sessionId);
    assertThat(GitRepos.git(sandbox.repo(), "show", "taskwright/" + id + ":greeting.txt"))
        .isEqualTo("ahoy");
    JsonNode done = cli().statusJson(id);
    assertThat(done.get("commits")).hasSize(1);
    assertThat(done.get("summary").asText()).isEqualTo("Wrote greeting.txt: ahoy.");
  }

  @Test
  void anAskUserQuestionCallStopsTheRunAndTheAnswerContinuesTheConversation() throws Exception {
    String id = "e2e-ask-tool";
    askThenGreet(
        id,
        ModelReply.askUserQuestion("Which greeting?", "hello", "ahoy"),
        "I cannot ask, so I am stopping here.");

    var run = cli().run("run", "--id", id, "--auto-accept", "--wait", PROMPT);

    assertExit(run, ExitCodes.TASK_NOT_SUCCESSFUL);
    JsonNode blocked = cli().statusJson(id);
    assertThat(blocked.get("reason").asText()).isEqualTo("QUESTION");
    assertThat(blocked.get("question").get("text").asText()).isEqualTo("Which greeting?");
    assertThat(blocked.get("question").get("options"))
        .extracting(JsonNode::asText)
        .containsExactly("hello", "ahoy");
    assertThat(blocked.get("attempts").asInt())
        .as("stopped as a question, not failed and retried")
        .isEqualTo(1);
    assertThat(blocked.path("lastError").isTextual()).as("no error").isFalse();
    assertThat(sandbox.home().resolve("logs").resolve(id).resolve("agent.pid"))
        .as("the agent process is gone")
        .doesNotExist();
    String sessionId = blocked.get("sessionId").asText();
    int before = sandbox.model().requests().size();

    var answer = cli().run("answer", id, ANSWER, "--wait");

    assertExit(answer, ExitCodes.OK);
    assertAnsweredInTheSameConversation(requestAfter(before), sessionId);
    assertThat(GitRepos.git(sandbox.repo(), "show", "taskwright/" + id + ":greeting.txt"))
        .isEqualTo("ahoy");
  }

  @Test
  void aUsageLimitWaitsOnADurableTimerAndThenTheSameSessionCompletes() throws Exception {
    String id = "e2e-rate-limit";
    sandbox
        .model()
        .script(
            request ->
                request.conversationContains(Prompts.CONTINUE_AFTER_USAGE_LIMIT)
                    ? greetAndFinish(request, id)
                    : ModelReply.rateLimited());
    CompletableFuture<CliRun.Result> following =
        CompletableFuture.supplyAsync(
            () -> cli().run("run", "--id", id, "--auto-accept", "--wait", PROMPT));

    JsonNode limited = cli().awaitState(id, "RATE_LIMITED", LIMIT);
    Instant resetAt = Instant.parse(limited.get("rateLimitResetAt").asText());
    Duration untilReset = Duration.between(sandbox.temporal().serverTime(), resetAt);
    assertThat(untilReset)
        .as("the first backoff is one minute")
        .isPositive()
        .isLessThanOrEqualTo(Duration.ofMinutes(1));
    assertThat(cli().run("status", id).out())
        .contains("Resumes at", "usage limit; the task resumes by itself");
    assertThat(sandbox.model().requests()).as("nothing is sent while the limit lasts").hasSize(1);

    // The workflow sleeps on a durable timer for the minute; the server lets that minute pass at
    // once.
    sandbox.temporal().letServerTimePass(untilReset.plusSeconds(1));
    CliRun.Result run =
        following.get(
            40, TimeUnit.SECONDS); // well under the minute the timer would take in real time

    assertExit(run, ExitCodes.OK);
    assertThat(run.err())
        .containsSubsequence(
            id + ": RUNNING - agent run 1",
                id + ": RATE_LIMITED - waiting for the usage limit to reset",
            id + ": RUNNING - agent run 2", id + ": COMPLETED");
    String sessionId = cli().statusJson(id).get("sessionId").asText();
    ModelRequest resumed = requestAfter(1);
    assertThat(resumed.sessionId()).isEqualTo(sessionId);
    assertThat(sandbox.model().requests().get(0).sessionId()).isEqualTo(sessionId);
    assertThat(resumed.lastUserText()).isEqualTo(Prompts.CONTINUE_AFTER_USAGE_LIMIT);
    assertThat(resumed.userTexts().get(0)).contains(PROMPT);
    assertThat(GitRepos.git(sandbox.repo(), "show", "taskwright/" + id + ":greeting.txt"))
        .isEqualTo("ahoy");
  }

  @Test
  void aTaskWaitingOutAUsageLimitCanBeCancelled() throws Exception {
    String id = "e2e-limit-cancel";
    sandbox.model().script(request -> ModelReply.rateLimited());
    assertExit(cli().run("run", "--id", id, PROMPT), ExitCodes.OK);
    cli().awaitState(id, "RATE_LIMITED", LIMIT);

    var cancel = cli().run("cancel", id);

    assertExit(cancel, ExitCodes.OK);
    assertThat(cancel.out()).contains("(it was RATE_LIMITED)");
    cli().awaitState(id, "CANCELLED", LIMIT);
    assertThat(sandbox.model().requests()).as("the agent never ran again").hasSize(1);
  }

  @Test
  void aRealMergeConflictIsResolvedByTheAgentAfterRetryAndTheBaseBranchEndsWithTheMerge()
      throws Exception {
    String id = "e2e-conflict";
    Path repo = sandbox.repo();
    Files.writeString(repo.resolve("greeting.txt"), "hello\n");
    GitRepos.git(repo, "add", "greeting.txt");
    GitRepos.git(repo, "commit", "-q", "-m", "add greeting.txt");
    // The agent merges with git through the Bash tool, which acceptEdits asks about; the CLI's
    // user settings allow these commands, as a user's own settings would.
    Files.createDirectories(sandbox.claudeHome().resolve(".claude"));
    Files.writeString(
        sandbox.claudeHome().resolve(".claude/settings.json"),
        "{\"permissions\": {\"allow\": [\"Bash(git merge:*)\", \"Bash(git commit:*)\"]}}");
    String resolved = "ahoy from the task, hello from main\n";
    sandbox
        .model()
        .script(
            request -> {
              Path greeting = sandbox.worktree(id).resolve("greeting.txt");
              int sinceRetry = request.assistantTurnsSince("Merge main into your branch");
              if (sinceRetry >= 0) {
                return switch (sinceRetry) {
                  case 0 -> ModelReply.bash("git merge main");
                  case 1 -> ModelReply.read(greeting);
                  case 2 -> ModelReply.write(greeting, resolved);
                  case 3 -> ModelReply.bash("git commit -a --no-edit -q");
                  default ->
                      ModelReply.text(
                          "Merged main.\n\n## Summary\nMerged main and kept both greetings.");
                };
              }
              return switch (request.assistantTurns()) {
                case 0 -> ModelReply.read(greeting);
                case 1 -> ModelReply.write(greeting, "ahoy from the task\n");
                default -> ModelReply.text("Done.\n\n## Summary\nThe greeting says ahoy.");
              };
            });

    assertExit(cli().run("run", "--id", id, "--wait", "Make the greeting say ahoy"), ExitCodes.OK);
    Files.writeString(repo.resolve("greeting.txt"), "hello from main\n");
    GitRepos.git(repo, "commit", "-q", "-am", "main changes the greeting meanwhile");
    String mainBefore = GitRepos.git(repo, "rev-parse", "main");

    var accept = cli().run("accept", id);

    assertExit(accept, ExitCodes.TASK_NOT_SUCCESSFUL);
    assertThat(accept.out())
        .contains("BLOCKED (MERGE_CONFLICT)", "taskwright retry " + id)
        .containsPattern("Conflicts +greeting.txt");
    assertThat(GitRepos.git(repo, "status", "--porcelain"))
        .as("the base checkout is clean")
        .isEmpty();
    assertThat(repo.resolve(".git/MERGE_HEAD")).as("and not mid-merge").doesNotExist();
    assertThat(GitRepos.git(repo, "rev-parse", "main")).isEqualTo(mainBefore);

    var retry = cli().run("retry", id, "--wait");

    assertExit(retry, ExitCodes.OK);
    assertThat(retry.out()).contains("READY");
    assertThat(GitRepos.git(repo, "show", "taskwright/" + id + ":greeting.txt") + "\n")
        .isEqualTo(resolved);
    assertThat(GitRepos.git(repo, "merge-base", "--is-ancestor", mainBefore, "taskwright/" + id))
        .as("main is merged into the task branch")
        .isEmpty();

    var accepted = cli().run("accept", id);

    assertExit(accepted, ExitCodes.OK);
    assertThat(accepted.out()).contains("COMPLETED");
    String merge = GitRepos.git(repo, "rev-parse", "main");
    assertThat(GitRepos.git(repo, "log", "-1", "--format=%P", "main"))
        .isEqualTo(mainBefore + " " + GitRepos.git(repo, "rev-parse", "taskwright/" + id));
    assertThat(GitRepos.git(repo, "show", "main:greeting.txt") + "\n").isEqualTo(resolved);
    assertThat(Files.readString(repo.resolve("greeting.txt"))).isEqualTo(resolved);
    assertThat(cli().statusJson(id).get("mergeCommit").asText()).isEqualTo(merge);
  }
}
