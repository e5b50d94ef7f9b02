package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code run}, {@code status} and {@code cancel} against an in-process server and worker, with the
 * {@code command} driver running small scripts: the whole pipeline, real git, no model.
 */
class RunAndStatusTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withWorker();
  private final Path repo = sandbox.repo();

  private CliRun cli() {
    return sandbox.cli();
  }

  @Test
  void runWaitCompletesAndStatusShowsTheCommitAndSummary() throws Exception {
    String agent =
        sandbox.script(
            "hello",
            """
            cat > /dev/null
            echo "hello from the agent" > hello.txt
            echo "Wrote hello.txt with a greeting." > "$TASKWRIGHT_SUMMARY_FILE"
            """);

    var run =
        cli()
            .run(
                "run",
                "--id",
                "say-hello",
                "--auto-accept",
                "--wait",
                "--command",
                agent,
                "Write",
                "hello.txt");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out().lines().findFirst()).contains("say-hello");
    assertThat(run.out())
        .contains("COMPLETED", "taskwright/say-hello", "Wrote hello.txt with a greeting.");
    // Every state is reported, even those that last milliseconds: the follower reads them from
    // history.
    assertThat(run.err())
        .containsSubsequence(
            "say-hello: PREPARING",
            "say-hello: RUNNING - agent run 1",
            "say-hello: COMMITTING",
            "say-hello: COMPLETED");

    String branchHead = GitRepos.git(repo, "rev-parse", "taskwright/say-hello");
    assertThat(GitRepos.git(repo, "show", "taskwright/say-hello:hello.txt"))
        .isEqualTo("hello from the agent");
    assertThat(GitRepos.git(repo, "log", "-1", "--format=%B", "taskwright/say-hello"))
        .contains("Taskwright-Task: say-hello");

    var status = cli().run("status", "say-hello");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out())
        .contains(
            "COMPLETED",
            "Write hello.txt",
            "taskwright/say-hello",
            branchHead.substring(0, 10),
            "Wrote hello.txt with a greeting.")
        .doesNotContain("no worker answered");

    var json = cli().run("status", "say-hello", "--output", "json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode node = new ObjectMapper().readTree(json.out());
    assertThat(node.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(node.get("live").asBoolean()).isTrue();
    assertThat(node.get("branch").asText()).isEqualTo("taskwright/say-hello");
    assertThat(node.get("commits")).extracting(JsonNode::asText).containsExactly(branchHead);
    assertThat(node.get("summary").asText()).contains("Wrote hello.txt");
    assertThat(node.get("repo").asText()).isEqualTo(repo.toRealPath().toString());
  }

  @Test
  void runWaitOfAFailingAgentStopsWhenItIsBlockedWithExitSixAndTheWaysOn() throws Exception {
    String agent =
        sandbox.script(
            "fails", "cat > /dev/null\necho 'compilation failed: missing semicolon' >&2\nexit 3\n");

    var run =
        cli()
            .run(
                "run",
                "--id",
                "always-fails",
                "--max-attempts",
                "2",
                "--auto-accept",
                "--wait",
                "--command",
                agent,
                "Break things");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.TASK_NOT_SUCCESSFUL);
    assertThat(run.err())
        .containsSubsequence(
            "always-fails: RUNNING - agent run 1",
            "always-fails: RUNNING - agent run 2",
            "always-fails: BLOCKED - waiting for a person")
        .contains(
            "always-fails waits for a person (BLOCKED); what fits now: `taskwright retry"
                + " always-fails [\"<guidance>\"]`");
    assertThat(run.out())
        .contains("BLOCKED (AGENT_FAILED)", "Command exited with code 3")
        .containsPattern(
            "To act +taskwright retry always-fails \\[\"<guidance>\"]\\R +taskwright abandon"
                + " always-fails \\[\"<reason>\"]");

    var status = cli().run("status", "always-fails");
    assertThat(status.out())
        .contains("BLOCKED (AGENT_FAILED)", "Last error", "exited with code 3")
        .containsPattern("Attempts +2");
  }

  @Test
  void cancelStopsARunningTaskAndRunWaitReportsCancelled() throws Exception {
    Path started = sandbox.folder().resolve("slow-started");
    String agent = sandbox.script("slow", "cat > /dev/null\ntouch " + started + "\nsleep 120\n");

    CompletableFuture<CliRun.Result> waiting =
        CompletableFuture.supplyAsync(
            () ->
                cli()
                    .run(
                        "run",
                        "--id",
                        "slow-task",
                        "--auto-accept",
                        "--wait",
                        "--command",
                        agent,
                        "Take forever"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(started) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(started).as("the agent started").exists();

    var cancel = cli().run("cancel", "slow-task");
    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();

    CliRun.Result run = waiting.get(60, TimeUnit.SECONDS);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.TASK_NOT_SUCCESSFUL);
    assertThat(run.err()).contains("slow-task: RUNNING", "slow-task: CANCELLED");
    assertThat(run.took())
        .as("cancellation did not wait for the agent's sleep")
        .isLessThan(Duration.ofSeconds(60));

    var status = cli().run("status", "slow-task");
    assertThat(status.out()).contains("CANCELLED");
    var again = cli().run("cancel", "slow-task");
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.INVALID_STATE);
    assertThat(List.of(GitRepos.git(repo, "branch", "--list", "taskwright/slow-task")))
        .as("branch kept")
        .allMatch(s -> s.contains("slow-task"));
  }
}
