package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskSandbox;
import dev.taskwright.workflows.TaskDetails;
import dev.taskwright.workflows.model.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code answer}, {@code accept}, {@code reject}, {@code retry}, {@code abandon} and {@code cancel}
 * against an in-process server and worker, with the {@code command} driver running small scripts:
 * each action where it fits and where it does not, the words checked before anything is sent, and
 * {@code status} showing what a person is asked.
 */
class PersonActionsTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withWorker();
  private final Path repo = sandbox.repo();

  private CliRun cli() {
    return sandbox.cli();
  }

  /**
   * Asks which colour in its first run; a later run (its prompt holds the answer) writes the prompt
   * to answer.txt.
   */
  private static String asker() throws IOException {
    return sandbox.script(
        "asker",
        """
        prompt=$(cat)
        case "$prompt" in
          *"Use blue"*) printf '%s\\n' "$prompt" > answer.txt ;;
          *) printf '{"question": "Which colour?", "options": ["red", "blue"]}' > "$TASKWRIGHT_QUESTION_FILE" ;;
        esac
        """);
  }

  /** Appends its prompt to {@code file}: every run leaves a change to commit. */
  private static String appender(String file) throws IOException {
    return sandbox.script("append-" + file.replace('.', '-'), "cat >> " + file + "\n");
  }

  private CliRun.Result runWait(String id, String agent, String... extra) {
    String[] args = new String[extra.length + 6];
    System.arraycopy(new String[] {"run", "--id", id, "--wait", "--command", agent}, 0, args, 0, 6);
    System.arraycopy(extra, 0, args, 6, extra.length);
    return cli().run(args);
  }

  private JsonNode statusJson(String id) throws IOException {
    return cli().statusJson(id);
  }

  private JsonNode awaitState(String id, String state) throws Exception {
    return cli().awaitState(id, state, Duration.ofSeconds(30));
  }

  private static void assertExit(CliRun.Result result, int exitCode) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
  }

  @Test
  void aQuestionBlocksTheTaskStatusShowsItAndAnAnswerResumesIt() throws Exception {
    var run = runWait("ask-colour", asker(), "--auto-accept", "Paint the shed");

    assertExit(run, ExitCodes.TASK_NOT_SUCCESSFUL);
    assertThat(run.err())
        .contains(
            "ask-colour: BLOCKED - waiting for a person",
            "ask-colour waits for a person (BLOCKED)");
    assertThat(run.out())
        .contains(
            "BLOCKED (QUESTION)",
            "Which colour?",
            "- red",
            "- blue",
            "taskwright answer ask-colour \"<your answer>\"");

    var status = cli().run("status", "ask-colour");
    assertThat(status.out())
        .containsPattern("Question +Which colour\\?")
        .containsPattern("Options +- red\\R +- blue")
        .containsPattern(
            "To act +taskwright answer ask-colour \"<your answer>\"\\R +taskwright abandon"
                + " ask-colour \\[\"<reason>\"]");
    JsonNode json = statusJson("ask-colour");
    assertThat(json.get("state").asText()).isEqualTo("BLOCKED");
    assertThat(json.get("reason").asText()).isEqualTo("QUESTION");
    assertThat(json.get("question").get("text").asText()).isEqualTo("Which colour?");
    assertThat(json.get("question").get("options"))
        .extracting(JsonNode::asText)
        .containsExactly("red", "blue");
    assertThat(json.get("actions"))
        .extracting(JsonNode::asText)
        .containsExactly("answer", "abandon");
    assertThat(json.get("commands").get("answer").asText())
        .isEqualTo(TaskDetails.command("ask-colour", "answer"));

    var accept = cli().run("accept", "ask-colour");
    assertExit(accept, ExitCodes.INVALID_STATE);
    assertThat(accept.err())
        .contains(
            "task ask-colour is BLOCKED/QUESTION; accept is valid only when the task is READY for"
                + " review")
        .contains("what fits now: `taskwright answer ask-colour \"<your answer>\"`");
    assertExit(cli().run("retry", "ask-colour", "again"), ExitCodes.INVALID_STATE);

    var answer =
        cli().stdin("Use blue, please.\n").run("answer", "ask-colour", "-f", "-", "--wait");

    assertExit(answer, ExitCodes.OK);
    assertThat(answer.out()).contains("ask-colour: answer taken", "COMPLETED");
    assertThat(answer.err())
        .containsSubsequence("ask-colour: RUNNING - agent run 2", "ask-colour: COMPLETED")
        .doesNotContain("BLOCKED");
    assertThat(GitRepos.git(repo, "show", "taskwright/ask-colour:answer.txt"))
        .contains("Paint the shed", "Use blue, please.");
    assertThat(statusJson("ask-colour").path("question").isObject())
        .as("no open question")
        .isFalse();

    var late = cli().run("answer", "ask-colour", "Use", "red");
    assertExit(late, ExitCodes.INVALID_STATE);
    assertThat(late.err()).contains("task ask-colour has already ended (COMPLETED)");
  }

  @Test
  void wordsAreCheckedBeforeAnythingIsSent() throws Exception {
    var run = runWait("ask-words", asker(), "Paint the fence");
    assertExit(run, ExitCodes.TASK_NOT_SUCCESSFUL);
    Path tooLong = sandbox.folder().resolve("too-long.txt");
    Files.writeString(tooLong, "x".repeat(Reply.MAX_LENGTH + 1));
    Path justRight = sandbox.folder().resolve("just-right.txt");
    Files.writeString(justRight, "Use blue " + "x".repeat(Reply.MAX_LENGTH - 9));

    var none = cli().run("answer", "ask-words");
    assertExit(none, ExitCodes.BAD_INPUT);
    assertThat(none.err()).contains("answer needs the answer to the agent's question");
    assertExit(cli().run("answer", "ask-words", "  "), ExitCodes.BAD_INPUT);
    assertExit(cli().stdin("\n").run("answer", "ask-words", "-f", "-"), ExitCodes.BAD_INPUT);
    var oversized = cli().run("answer", "ask-words", "-f", tooLong.toString());
    assertExit(oversized, ExitCodes.BAD_INPUT);
    assertThat(oversized.err())
        .contains(
            (Reply.MAX_LENGTH + 1) + " characters long; a task takes at most " + Reply.MAX_LENGTH);
    assertExit(
        cli().run("answer", "ask-words", "-f", tooLong.toString(), "blue"), ExitCodes.BAD_INPUT);
    assertExit(cli().run("answer", "ask-words", "-f", "no-such-file.txt"), ExitCodes.BAD_INPUT);
    assertExit(cli().run("reject", "ask-words"), ExitCodes.BAD_INPUT);
    assertThat(statusJson("ask-words").get("reason").asText())
        .as("nothing was sent")
        .isEqualTo("QUESTION");

    var answer = cli().run("answer", "ask-words", "-f", justRight.toString(), "--wait");
    assertExit(answer, ExitCodes.OK);
    assertThat(answer.out()).contains("READY");
  }

  @Test
  void rejectSendsTheWorkBackAndAcceptMergesIt() throws Exception {
    var run = runWait("review-me", appender("review.txt"), "Write the first line");
    assertExit(run, ExitCodes.OK);
    assertThat(run.out())
        .contains("READY")
        .containsPattern("To act +taskwright accept review-me\\R +taskwright reject review-me");

    var answer = cli().run("answer", "review-me", "hello");
    assertExit(answer, ExitCodes.INVALID_STATE);
    assertThat(answer.err())
        .contains(
            "task review-me is READY; answer is valid only when the task is BLOCKED on a QUESTION")
        .contains(
            "what fits now: `taskwright accept review-me`, `taskwright reject review-me \"<what to"
                + " change>\"`");
    assertExit(cli().run("retry", "review-me"), ExitCodes.INVALID_STATE);
    assertExit(cli().run("abandon", "review-me"), ExitCodes.INVALID_STATE);

    var reject = cli().run("reject", "review-me", "--wait", "Add", "a", "second", "line");
    assertExit(reject, ExitCodes.OK);
    assertThat(reject.out()).contains("review-me: feedback taken", "READY");
    assertThat(reject.err())
        .containsSubsequence("review-me: RUNNING - agent run 2", "review-me: READY");
    assertThat(statusJson("review-me").get("commits")).hasSize(2);
    assertThat(GitRepos.git(repo, "show", "taskwright/review-me:review.txt"))
        .contains("Write the first line", "Add a second line");

    String branchHead = GitRepos.git(repo, "rev-parse", "taskwright/review-me");
    var accept = cli().run("accept", "review-me");

    assertExit(accept, ExitCodes.OK);
    assertThat(accept.out())
        .contains("review-me: accepted; merging taskwright/review-me into main", "COMPLETED");
    assertThat(accept.err()).containsSubsequence("review-me: MERGING", "review-me: COMPLETED");
    String mergeCommit = GitRepos.git(repo, "rev-parse", "main");
    assertThat(GitRepos.git(repo, "log", "-1", "--format=%P", "main")).endsWith(branchHead);
    assertThat(accept.out())
        .containsPattern("Merged as +" + mergeCommit.substring(0, 10) + " on main");
    assertThat(statusJson("review-me").get("mergeCommit").asText()).isEqualTo(mergeCommit);
    assertThat(Files.readString(repo.resolve("review.txt"))).contains("Add a second line");

    assertExit(cli().run("accept", "review-me"), ExitCodes.INVALID_STATE);
  }

  @Test
  void acceptWithLocalChangesInTheBaseCheckoutLeavesTheTaskReadyAndSaysWhy() throws Exception {
    assertExit(runWait("dirty-base", appender("dirty.txt"), "Write dirty.txt"), ExitCodes.OK);
    Path readme = repo.resolve("README.md");
    String original = Files.readString(readme);
    Files.writeString(readme, original + "local edit\n");
    try {
      var accept = cli().run("accept", "dirty-base");

      assertExit(accept, ExitCodes.TASK_NOT_SUCCESSFUL);
      assertThat(accept.err())
          .contains("dirty-base: MERGING", "dirty-base waits for a person (READY)");
      assertThat(accept.out())
          .contains(
              "READY", "with local changes (1 path(s): README.md)", "taskwright accept dirty-base");
      assertThat(Files.readString(readme)).isEqualTo(original + "local edit\n");
    } finally {
      Files.writeString(readme, original);
    }

    assertExit(cli().run("accept", "dirty-base"), ExitCodes.OK);
    assertThat(statusJson("dirty-base").get("state").asText()).isEqualTo("COMPLETED");
  }

  @Test
  void aMergeConflictBlocksTheTaskWithTheFilesAndAbandonEndsIt() throws Exception {
    Files.writeString(repo.resolve("clash.txt"), "base line\n");
    GitRepos.git(repo, "add", "clash.txt");
    GitRepos.git(repo, "commit", "-q", "-m", "add clash.txt");
    String agent = sandbox.script("clash", "cat > /dev/null\necho 'task line' > clash.txt\n");
    assertExit(runWait("merge-clash", agent, "Change clash.txt"), ExitCodes.OK);
    Files.writeString(repo.resolve("clash.txt"), "main line\n");
    GitRepos.git(repo, "commit", "-q", "-am", "main changes clash.txt");
    String mainHead = GitRepos.git(repo, "rev-parse", "main");

    var accept = cli().run("accept", "merge-clash");

    assertExit(accept, ExitCodes.TASK_NOT_SUCCESSFUL);
    assertThat(accept.out())
        .contains("BLOCKED (MERGE_CONFLICT)")
        .containsPattern("Conflicts +clash.txt")
        .contains("taskwright retry merge-clash [\"<guidance>\"]");
    assertThat(accept.err())
        .contains(
            "merge-clash waits for a person (BLOCKED); what fits now: `taskwright retry"
                + " merge-clash");
    assertThat(GitRepos.git(repo, "status", "--porcelain"))
        .as("the base checkout is clean")
        .isEmpty();
    assertThat(repo.resolve(".git/MERGE_HEAD")).as("and not mid-merge").doesNotExist();
    assertThat(GitRepos.git(repo, "rev-parse", "main")).isEqualTo(mainHead);
    assertThat(statusJson("merge-clash").get("conflictFiles"))
        .extracting(JsonNode::asText)
        .containsExactly("clash.txt");

    var abandon = cli().run("abandon", "merge-clash", "main", "moved", "on");
    assertExit(abandon, ExitCodes.OK);
    assertThat(abandon.out()).contains("merge-clash: abandoned");
    JsonNode ended = awaitState("merge-clash", "FAILED");
    assertThat(ended.get("reason").asText()).isEqualTo("ABANDONED");
    assertThat(ended.get("lastError").asText()).contains("abandoned: main moved on");
  }

  @Test
  void retryResumesAFailedTaskWithTheGuidance() throws Exception {
    String agent =
        sandbox.script(
            "needs-guidance",
            """
            case "$(cat)" in
              *"try harder"*) echo fixed > fixed.txt ;;
              *) echo 'it broke' >&2; exit 3 ;;
            esac
            """);
    var run = runWait("fix-me", agent, "--max-attempts", "1", "--auto-accept", "Fix it");
    assertExit(run, ExitCodes.TASK_NOT_SUCCESSFUL);
    assertThat(run.out()).contains("BLOCKED (AGENT_FAILED)", "it broke");

    var answer = cli().run("answer", "fix-me", "yes");
    assertExit(answer, ExitCodes.INVALID_STATE);
    assertThat(answer.err())
        .contains(
            "task fix-me is BLOCKED/AGENT_FAILED; answer is valid only when the task is BLOCKED on"
                + " a QUESTION");

    var retry = cli().run("retry", "fix-me", "--wait", "try", "harder");

    assertExit(retry, ExitCodes.OK);
    assertThat(retry.out()).contains("fix-me: retrying", "COMPLETED");
    assertThat(GitRepos.git(repo, "show", "taskwright/fix-me:fixed.txt")).isEqualTo("fixed");
  }

  @Test
  void cancelWorksWhileBlockedAndWhileReady() throws Exception {
    assertExit(runWait("cancel-blocked", asker(), "Paint the gate"), ExitCodes.TASK_NOT_SUCCESSFUL);
    assertExit(runWait("cancel-ready", appender("cancel.txt"), "Write cancel.txt"), ExitCodes.OK);

    var blocked = cli().run("cancel", "cancel-blocked");
    assertExit(blocked, ExitCodes.OK);
    assertThat(blocked.out())
        .contains("Cancellation requested for cancel-blocked (it was BLOCKED)");
    var ready = cli().run("cancel", "cancel-ready");
    assertExit(ready, ExitCodes.OK);
    assertThat(ready.out()).contains("(it was READY)");

    awaitState("cancel-blocked", "CANCELLED");
    awaitState("cancel-ready", "CANCELLED");
    assertThat(GitRepos.git(repo, "branch", "--list", "taskwright/cancel-ready"))
        .as("branch kept")
        .contains("cancel-ready");
    assertExit(cli().run("accept", "cancel-ready"), ExitCodes.INVALID_STATE);
  }

  @Test
  void everyActionOnAnUnknownTaskIsExitThree() {
    for (String[] args :
        new String[][] {
          {"answer", "no-such-task", "yes"},
          {"accept", "no-such-task"},
          {"reject", "no-such-task", "no"},
          {"retry", "no-such-task"},
          {"abandon", "no-such-task"}
        }) {
      var result = cli().run(args);
      assertExit(result, ExitCodes.NOT_FOUND);
      assertThat(result.err()).contains("no task 'no-such-task'");
    }
  }
}
