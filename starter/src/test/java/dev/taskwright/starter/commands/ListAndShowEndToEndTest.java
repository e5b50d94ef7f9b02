package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.LedgerSeed;
import dev.taskwright.starter.support.TaskSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real tasks through the in-process server and worker (the {@code command} driver, real git), then
 * {@code list} and {@code show}: what the workflow writes to the ledger is what they read.
 */
class ListAndShowEndToEndTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withWorker();

  private static CliRun cli() {
    return LedgerSeed.reading(sandbox.cli(), sandbox.temporal().ledger().location());
  }

  private static JsonNode json(String... args) throws Exception {
    CliRun.Result result = cli().run(args);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return new ObjectMapper().readTree(result.out());
  }

  /**
   * Reads {@code list --output json} with {@code args} until {@code done} holds: the workflow
   * writes its ledger rows asynchronously, and waits for them only before it closes.
   */
  private static JsonNode awaitList(Predicate<JsonNode> done, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("list", "--output", "json"));
    command.addAll(List.of(args));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      JsonNode tasks = json(command.toArray(String[]::new));
      if (done.test(tasks)) {
        return tasks;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "list " + command + " never matched; last:\n" + tasks.toPrettyString());
      }
      Thread.sleep(100);
    }
  }

  private static boolean allIn(JsonNode tasks, int count, String state) {
    if (tasks.size() != count) {
      return false;
    }
    for (JsonNode task : tasks) {
      if (!task.get("state").asText().equals(state)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void tasksRunByTheWorkerAreListedAndShownWithTheirRunsAndTransitions() throws Exception {
    String writer =
        sandbox.script(
            "write-own-file",
            """
            cat > /dev/null
            echo "written by $TASKWRIGHT_TASK_ID" > "$TASKWRIGHT_TASK_ID.txt"
            echo "Wrote $TASKWRIGHT_TASK_ID.txt" > "$TASKWRIGHT_SUMMARY_FILE"
            """);
    Path plan = sandbox.folder().resolve("reads.yaml");
    Files.writeString(
        plan,
        """
        plan: reads
        repo: %s
        command: %s
        autoAccept: true
        tasks:
          - id: schema
            prompt: Write schema.txt.
          - id: api
            prompt: Write api.txt.
            dependsOn: [schema]
            subtasks:
              - id: docs
                prompt: Write api.docs.txt.
        """
            .formatted(sandbox.repo(), writer));
    CliRun.Result planRun = cli().run("run", "-f", plan.toString(), "--wait");
    assertThat(planRun.exitCode()).as(planRun.toString()).isEqualTo(ExitCodes.OK);

    String failing =
        sandbox.script("fails", "cat > /dev/null\necho 'the build is broken' >&2\nexit 3\n");
    CliRun.Result failed =
        cli()
            .run(
                "run",
                "--id",
                "breaks",
                "--title",
                "Break the build",
                "--max-attempts",
                "1",
                "--auto-accept",
                "--wait",
                "--command",
                failing,
                "Break it");
    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.TASK_NOT_SUCCESSFUL);

    // list: every filter finds what the workflows wrote.
    JsonNode planTasks = awaitList(tasks -> allIn(tasks, 3, "COMPLETED"), "--plan", "reads");
    assertThat(planTasks.findValuesAsText("id")).containsExactly("api.docs", "api", "schema");
    JsonNode blocked = awaitList(tasks -> tasks.size() == 1, "--state", "BLOCKED");
    assertThat(blocked.get(0).get("id").asText()).isEqualTo("breaks");
    assertThat(blocked.get(0).get("reason").asText()).isEqualTo("AGENT_FAILED");
    assertThat(json("list", "--parent", "api", "--output", "json").findValuesAsText("id"))
        .containsExactly("api.docs");
    JsonNode inRepo = json("list", "--repo", ".", "--output", "json");
    assertThat(inRepo.findValuesAsText("id"))
        .containsExactly("breaks", "api.docs", "api", "schema");
    assertThat(inRepo.get(0).get("repo").asText())
        .isEqualTo(sandbox.repo().toRealPath().toString());

    CliRun.Result table = cli().run("list");
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out())
        .containsPattern(
            "(?m)^breaks +BLOCKED/AGENT_FAILED +\\d+s +\\$0\\.0000 +0 +repo +Break the build$")
        .containsPattern("(?m)^api\\.docs +COMPLETED +\\d+s ")
        .containsPattern("(?m)^schema +COMPLETED +\\d+s ");

    // show: the task, its run and the commit the worker made, its transitions in order.
    JsonNode api = json("show", "api", "--output", "json");
    assertThat(api.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(api.get("plan").asText()).isEqualTo("reads");
    assertThat(api.get("agent").asText()).isEqualTo("command");
    assertThat(api.get("branch").asText()).isEqualTo("taskwright/api");
    assertThat(api.get("summary").asText()).contains("Wrote api.txt");
    assertThat(api.get("commits")).isNotEmpty();
    assertThat(GitRepos.git(sandbox.repo(), "log", "--format=%H", "taskwright/api"))
        .contains(api.get("commits").get(0).asText());
    assertThat(api.get("runs")).hasSize(1);
    JsonNode run = api.get("runs").get(0);
    assertThat(run.get("number").asInt()).isEqualTo(1);
    assertThat(run.get("kind").asText()).isEqualTo("FIRST");
    assertThat(run.get("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.get("durationSeconds").asDouble()).isPositive();
    assertThat(Path.of(run.get("logPath").asText())).startsWith(sandbox.home()).exists();
    List<String> changes = new ArrayList<>();
    api.get("transitions").forEach(t -> changes.add(t.get("to").asText()));
    assertThat(changes)
        .containsSubsequence(
            "QUEUED", "PREPARING", "RUNNING", "COMMITTING", "WAITING_SUBTASKS", "COMPLETED");

    JsonNode breaks = json("show", "breaks", "--output", "json");
    assertThat(breaks.get("runs")).hasSize(1);
    assertThat(breaks.get("runs").get(0).get("outcome").asText()).isEqualTo("FAILED");
    assertThat(breaks.get("runs").get(0).get("error").asText()).contains("exited with code 3");
    assertThat(breaks.get("error").asText()).contains("exited with code 3");

    CliRun.Result shown = cli().run("show", "breaks");
    assertThat(shown.exitCode()).as(shown.toString()).isZero();
    assertThat(shown.out())
        .containsPattern("(?m)^State +BLOCKED \\(AGENT_FAILED\\)$")
        .containsPattern("(?m)^  1  FIRST  FAILED  ")
        .containsPattern("(?m)^ +error  .*exited with code 3")
        .containsPattern("(?m)RUNNING  →  BLOCKED +AGENT_FAILED$");
  }
}
