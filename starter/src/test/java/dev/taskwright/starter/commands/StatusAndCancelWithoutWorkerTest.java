package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.TaskSandbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code status} and {@code cancel} against a server with no worker: unknown IDs are exit 3, a task
 * nobody can answer for is described from what the server knows, a closed task cannot be cancelled
 * (exit 4).
 */
class StatusAndCancelWithoutWorkerTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withoutWorker();

  private CliRun cli() {
    return sandbox.cli();
  }

  private void start(String id) {
    var result =
        cli()
            .run(
                "run",
                "--id",
                id,
                "--title",
                "Queued forever",
                "--command",
                "true",
                "do something");
    assertThat(result.exitCode()).as(result.toString()).isZero();
  }

  @Test
  void unknownTaskIsExitThree() {
    for (String command : new String[] {"status", "cancel"}) {
      var result = cli().run(command, "no-such-task");
      assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.NOT_FOUND);
      assertThat(result.err()).contains("no task 'no-such-task'").doesNotContain("Exception");
      assertThat(result.err().strip().lines()).hasSize(1);
    }
  }

  @Test
  void statusWithoutAWorkerSaysWhatTheServerKnows() throws Exception {
    start("nobody-answers");

    var text = cli().run("status", "nobody-answers");
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.out())
        .contains(
            "nobody-answers",
            "QUEUED",
            "Queued forever",
            sandbox.repo().toRealPath().toString(),
            "command",
            "RUNNING")
        .contains("no worker answered");
    assertThat(text.took()).as("the query gives up in seconds").isLessThan(Duration.ofSeconds(10));

    var json = cli().run("status", "nobody-answers", "--output", "json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode node = new ObjectMapper().readTree(json.out());
    assertThat(node.get("id").asText()).isEqualTo("nobody-answers");
    assertThat(node.get("state").asText()).isEqualTo("QUEUED");
    assertThat(node.get("live").asBoolean()).isFalse();
    assertThat(node.get("workflowStatus").asText()).isEqualTo("RUNNING");
  }

  @Test
  void anActionNoWorkerCanTakeIsExitFiveAndNothingIsSent() {
    start("no-worker-to-ask");

    var result = cli().run("answer", "no-worker-to-ask", "yes");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(result.err())
        .contains(
            "no worker answers for task no-worker-to-ask, so nothing was sent",
            "taskwright worker");
  }

  @Test
  void cancellingAClosedTaskIsExitFour() {
    start("closed-already");
    sandbox.temporal().client().newUntypedWorkflowStub("closed-already").terminate("test");

    var result = cli().run("cancel", "closed-already");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.INVALID_STATE);
    assertThat(result.err()).contains("closed-already", "already ended", "FAILED");
  }

  @Test
  void cancellingAQueuedTaskIsRecordedAndStatusSaysSo() {
    start("cancel-queued");

    var result = cli().run("cancel", "cancel-queued");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("Cancellation requested for cancel-queued");
  }
}
