package dev.taskwright.starter.commands;

import static dev.taskwright.starter.support.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskSandbox;
import dev.taskwright.workflows.Names;
import dev.taskwright.workflows.model.ActionReceipt;
import dev.taskwright.workflows.model.Reply;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a person sends a task, when it is too much or the wrong shape: a megabyte of answer,
 * feedback, guidance or reason through the CLI (words, a file, standard input, an endless file),
 * and payloads of every shape sent straight to the workflow as the Web UI would, against a real
 * worker. The CLI refuses with exit 2 and the limit before it sends anything; the workflow ignores
 * a wrong signal and refuses a wrong update; either way the task still waits, and takes the right
 * words afterwards.
 */
class ActionInputTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withWorker();

  private static final String MEGABYTE = "x".repeat(1024 * 1024);

  private CliRun cli() {
    return sandbox.cli();
  }

  /**
   * Asks which colour in its first run; a later run (its prompt holds the answer) writes it to
   * answer.txt.
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

  private CliRun.Result runWait(String id, String agent, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "--id", id, "--wait", "--command", agent));
    args.addAll(List.of(extra));
    return cli().run(args.toArray(String[]::new));
  }

  private static void assertExit(CliRun.Result result, int exitCode) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
  }

  private List<HistoryEvent> history(String id) {
    return sandbox.temporal().client().fetchHistory(id).getEvents();
  }

  /** The task waits as it did, nothing was ever sent to it, and no workflow task failed. */
  private void assertStillWaiting(String id, String state, String reason) throws IOException {
    JsonNode status = cli().statusJson(id);
    assertThat(status.path("state").asText()).as(status.toString()).isEqualTo(state);
    if (reason == null) {
      assertThat(status.path("reason").isTextual()).as(status.toString()).isFalse();
    } else {
      assertThat(status.path("reason").asText()).as(status.toString()).isEqualTo(reason);
    }
    assertThat(history(id))
        .extracting(HistoryEvent::getEventType)
        .as("nothing was sent to " + id)
        .doesNotContain(
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
  }

  @Test
  void aMegabyteOfWordsIsRefusedBeforeAnythingIsSentAndTheTaskStillTakesAnAnswer()
      throws Exception {
    assertExit(
        runWait("mb-answer", asker(), "--auto-accept", "Paint the shed"),
        ExitCodes.TASK_NOT_SUCCESSFUL);
    Path bigFile = Files.writeString(sandbox.folder().resolve("megabyte.txt"), MEGABYTE);
    Path overByOne =
        Files.writeString(
            sandbox.folder().resolve("over-by-one.txt"), "é".repeat(Reply.MAX_LENGTH + 1));

    String limit = "a task takes at most " + Reply.MAX_LENGTH + " characters, so nothing was sent";
    assertRefused(
        cli().run("answer", "mb-answer", MEGABYTE),
        ExitCodes.BAD_INPUT,
        "the answer to the agent's question is " + MEGABYTE.length() + " characters long",
        limit);
    assertRefused(
        cli().run("answer", "mb-answer", "-f", bigFile.toString()),
        ExitCodes.BAD_INPUT,
        "the answer to the agent's question is more than "
            + TextActionCommand.MAX_BYTES
            + " bytes long ("
            + bigFile
            + ")",
        limit);
    assertRefused(
        cli().run("answer", "mb-answer", "-f", overByOne.toString()),
        ExitCodes.BAD_INPUT,
        "is " + (Reply.MAX_LENGTH + 1) + " characters long",
        limit);
    assertRefused(
        cli().stdin(MEGABYTE).run("answer", "mb-answer", "-f", "-", "--wait"),
        ExitCodes.BAD_INPUT,
        "more than " + TextActionCommand.MAX_BYTES + " bytes long (standard input)",
        limit);
    // A file that never ends is read only as far as the limit.
    assertRefused(
        cli().run("answer", "mb-answer", "-f", "/dev/zero"),
        ExitCodes.BAD_INPUT,
        "(/dev/zero)",
        limit);
    assertRefused(
        cli().run("abandon", "mb-answer", MEGABYTE),
        ExitCodes.BAD_INPUT,
        "the reason to give up is " + MEGABYTE.length(),
        limit);
    assertStillWaiting("mb-answer", "BLOCKED", "QUESTION");

    var answer = cli().run("answer", "mb-answer", "Use blue", "--wait");
    assertExit(answer, ExitCodes.OK);
    assertThat(GitRepos.git(sandbox.repo(), "show", "taskwright/mb-answer:answer.txt"))
        .contains("Use blue");
  }

  @Test
  void aFileThatCannotBeReadIsNamedInWords() throws Exception {
    assertExit(runWait("unreadable", asker(), "Paint the gate"), ExitCodes.TASK_NOT_SUCCESSFUL);
    Path binary =
        Files.write(
            sandbox.folder().resolve("binary.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});

    assertRefused(
        cli().run("answer", "unreadable", "-f", "no-such-answer.txt"),
        ExitCodes.BAD_INPUT,
        "file no-such-answer.txt does not exist (looked for "
            + sandbox.repo().resolve("no-such-answer.txt")
            + ")");
    assertRefused(
        cli().run("answer", "unreadable", "-f", sandbox.folder().toString()),
        ExitCodes.BAD_INPUT,
        sandbox.folder() + " is a folder; give -f the file that holds the answer");
    assertRefused(
        cli().run("answer", "unreadable", "-f", binary.toString()),
        ExitCodes.BAD_INPUT,
        binary + " is not UTF-8 text");
    assertRefused(
        cli().run("answer", "unreadable", "-f", binary.toString(), "blue"),
        ExitCodes.BAD_INPUT,
        "either after the task ID or with -f");
    assertStillWaiting("unreadable", "BLOCKED", "QUESTION");
  }

  @Test
  void aMegabyteOfFeedbackOrGuidanceIsRefusedAndTheTaskStillTakesTheRightWords() throws Exception {
    String appender = sandbox.script("append", "cat >> work.txt\n");
    assertExit(runWait("mb-review", appender, "Write the first line"), ExitCodes.OK);
    String failing =
        sandbox.script(
            "fails-until-told",
            """
            case "$(cat)" in
              *"try harder"*) echo fixed > fixed.txt ;;
              *) echo 'it broke' >&2; exit 3 ;;
            esac
            """);
    assertExit(
        runWait("mb-retry", failing, "--max-attempts", "1", "--auto-accept", "Fix it"),
        ExitCodes.TASK_NOT_SUCCESSFUL);

    assertRefused(
        cli().run("reject", "mb-review", MEGABYTE),
        ExitCodes.BAD_INPUT,
        "feedback on what to change is " + MEGABYTE.length());
    assertRefused(
        cli().stdin(MEGABYTE).run("reject", "mb-review", "-f", "-"),
        ExitCodes.BAD_INPUT,
        "feedback on what to change is more than");
    assertRefused(
        cli().run("retry", "mb-retry", MEGABYTE),
        ExitCodes.BAD_INPUT,
        "guidance for the agent is " + MEGABYTE.length());
    assertRefused(
        cli().stdin(MEGABYTE).run("retry", "mb-retry", "-f", "-", "--wait"),
        ExitCodes.BAD_INPUT,
        "guidance for the agent is more than");
    assertStillWaiting("mb-review", "READY", null);
    assertStillWaiting("mb-retry", "BLOCKED", "AGENT_FAILED");

    assertExit(
        cli().run("reject", "mb-review", "--wait", "Add", "a", "second", "line"), ExitCodes.OK);
    assertThat(GitRepos.git(sandbox.repo(), "show", "taskwright/mb-review:work.txt"))
        .contains("Add a second line");
    assertExit(cli().run("retry", "mb-retry", "--wait", "try", "harder"), ExitCodes.OK);
    assertThat(GitRepos.git(sandbox.repo(), "show", "taskwright/mb-retry:fixed.txt"))
        .isEqualTo("fixed");
  }

  /**
   * The Web UI sends signals with whatever JSON was typed into it, and a script may send updates
   * the same way. Against the real worker: wrong signals are ignored, wrong updates refused with
   * what was wrong, and the CLI's answer still resumes the task.
   */
  @Test
  void payloadsOfTheWrongShapeFromTheWebUiLeaveTheTaskWaitingForTheRightAnswer() throws Exception {
    assertExit(
        runWait("web-ui", asker(), "--auto-accept", "Paint the door"),
        ExitCodes.TASK_NOT_SUCCESSFUL);
    WorkflowStub stub = sandbox.temporal().client().newUntypedWorkflowStub("web-ui");
    List<Object> wrong =
        List.of(
            42,
            true,
            List.of("blue"),
            Map.of(),
            Map.of("text", 5),
            Map.of("text", List.of("blue")),
            "");

    for (String action : List.of(Names.ANSWER, Names.ACCEPT, Names.REJECT, Names.RETRY)) {
      wrong.forEach(payload -> stub.signal(action, payload));
      stub.signal(action);
    }
    // A megabyte pasted into the Web UI: under the server's payload limit, over the task's.
    stub.signal(Names.ANSWER, MEGABYTE);
    stub.signal(Names.ANSWER, Map.of("text", MEGABYTE));
    for (String action : List.of(Names.SUBSCRIBE, Names.DEPENDENCY_FINISHED)) {
      wrong.forEach(payload -> stub.signal(action, payload));
      stub.signal(action, Map.of("taskId", "../x", "state", "COMPLETED"));
    }
    assertThatThrownBy(() -> stub.update(Names.ANSWER, ActionReceipt.class, Map.of("text", 5)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining(
            "expected a JSON string or {\"text\": \"...\"}, got {\"text\": a number}");
    assertThatThrownBy(() -> stub.update(Names.ANSWER, ActionReceipt.class, Map.of()))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining(
            "expected a JSON string or {\"text\": \"...\"}, got an object without \"text\"");
    assertThatThrownBy(() -> stub.update(Names.ANSWER, ActionReceipt.class, Map.of("text", " ")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("answer needs text");
    assertThatThrownBy(() -> stub.update(Names.ANSWER, ActionReceipt.class, MEGABYTE))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining(
            "too long (" + MEGABYTE.length() + " characters; at most " + Reply.MAX_LENGTH + ")");

    JsonNode status = cli().awaitState("web-ui", "BLOCKED", Duration.ofSeconds(30));
    assertThat(status.path("reason").asText()).isEqualTo("QUESTION");
    assertThat(status.path("question").path("text").asText()).isEqualTo("Which colour?");
    assertThat(history("web-ui"))
        .extracting(HistoryEvent::getEventType)
        .doesNotContain(
            EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);

    var answer = cli().run("answer", "web-ui", "Use blue", "--wait");
    assertExit(answer, ExitCodes.OK);
    assertThat(answer.out()).contains("COMPLETED");
    assertThat(GitRepos.git(sandbox.repo(), "show", "taskwright/web-ui:answer.txt"))
        .contains("Use blue");
  }
}
