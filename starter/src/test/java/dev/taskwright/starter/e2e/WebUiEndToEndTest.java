package dev.taskwright.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TemporalCliTool;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.starter.temporal.TemporalSettings;
import dev.taskwright.workflows.Names;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person using the Temporal Web UI sees and does, on the real Temporal server (the CLI's
 * {@code start-dev}, which `dev` runs): every blocked task is found with {@code
 * TaskState="BLOCKED"}, its search attributes, summary and current details say what it waits for
 * and how to answer, and sending the {@code answer} signal (what the Web UI's "Send a signal" does)
 * carries it on.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebUiEndToEndTest {

  @TempDir Path temp;

  @Test
  void blockedTasksAreFoundByTaskStateDescribedWithHowToAnswerAndAnsweredByTheAnswerSignal()
      throws Exception {
    Path home = temp.resolve("home");
    int port = TemporalCliTool.freePortWithFreeUiPort();
    String address = "127.0.0.1:" + port;
    Path repo = GitRepos.create(temp.resolve("repo"));
    Path asker = temp.resolve("asker.sh");
    Files.writeString(
        asker,
        """
        set -eu
        prompt=$(cat)
        case "$prompt" in
          *"Use blue"*) printf '%s\\n' "$prompt" > answer.txt ;;
          *) printf '{"question": "Which colour?", "options": ["red", "blue"]}' > "$TASKWRIGHT_QUESTION_FILE" ;;
        esac
        """);
    CliRun cli =
        CliRun.with()
            .home(home)
            .temporal(address)
            .env("PATH", TemporalCliTool.pathWithoutTemporal(System.getenv("PATH")))
            .env(CliEnvironment.TEMPORAL_CLI, TemporalCliTool.locate().toString())
            .in(temp);
    CliRun.Background dev = cli.start("dev");
    try {
      dev.awaitErr("taskwright dev is ready", Duration.ofSeconds(30));
      for (String id : List.of("paint-shed", "paint-fence")) {
        var run =
            cli.run(
                "run",
                "--id",
                id,
                "--repo",
                repo.toString(),
                "--auto-accept",
                "--title",
                "Paint the " + id.substring(6),
                "--command",
                "bash " + asker,
                "Paint it");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
      }
      var done =
          cli.run(
              "run",
              "--id",
              "sweep",
              "--repo",
              repo.toString(),
              "--auto-accept",
              "--wait",
              "--command",
              "touch swept.txt",
              "Sweep");
      assertThat(done.exitCode()).as(done.toString()).isEqualTo(ExitCodes.OK);
      cli.awaitState("paint-shed", "BLOCKED", Duration.ofSeconds(30));
      cli.awaitState("paint-fence", "BLOCKED", Duration.ofSeconds(30));

      try (TemporalConnection connection =
          TemporalConnection.connect(TemporalSettings.local(address))) {
        // The Web UI's search box: visibility is eventually consistent, so look until it agrees.
        List<String> blocked = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
          blocked =
              connection
                  .client()
                  .getWorkflowServiceStubs()
                  .blockingStub()
                  .listWorkflowExecutions(
                      ListWorkflowExecutionsRequest.newBuilder()
                          .setNamespace("default")
                          .setQuery("TaskState=\"BLOCKED\"")
                          .build())
                  .getExecutionsList()
                  .stream()
                  .map(e -> e.getExecution().getWorkflowId())
                  .sorted()
                  .toList();
          if (blocked.size() == 2) {
            break;
          }
          Thread.sleep(200);
        }
        assertThat(blocked).containsExactly("paint-fence", "paint-shed");

        WorkflowStub shed = connection.client().newUntypedWorkflowStub("paint-shed");
        var description = shed.describe();
        assertThat(description.getTypedSearchAttributes().get(Names.TASK_STATE))
            .isEqualTo("BLOCKED");
        assertThat(description.getTypedSearchAttributes().get(Names.TASK_REPO))
            .isEqualTo(repo.toRealPath().toString());
        assertThat(description.getTypedSearchAttributes().get(Names.TASK_AGENT))
            .isEqualTo("command");
        assertThat(description.getStaticSummary()).isEqualTo("Paint the shed");

        // The Web UI reads current details through the SDK's built-in metadata query.
        String details =
            shed.query("__temporal_workflow_metadata", WorkflowMetadata.class).getCurrentDetails();
        assertThat(details)
            .contains("**State:** BLOCKED (QUESTION)", "Which colour?", "- red", "- blue")
            .contains("taskwright answer paint-shed \"<your answer>\"", "signal `answer`");

        // What the Web UI's "Send a signal" does: the signal named answer, with the reply as JSON.
        shed.signal(Names.ANSWER, new dev.taskwright.workflows.model.Reply("Use blue"));
      }

      var answered = cli.awaitState("paint-shed", "COMPLETED", Duration.ofSeconds(30));
      assertThat(answered.path("commits").size()).isPositive();
      assertThat(GitRepos.git(repo, "show", "taskwright/paint-shed:answer.txt"))
          .contains("Use blue");
      assertThat(cli.statusJson("paint-fence").path("state").asText())
          .as("only the answered task moved on")
          .isEqualTo("BLOCKED");
    } finally {
      assertThat(dev.stop().exitCode()).isZero();
    }
  }
}
