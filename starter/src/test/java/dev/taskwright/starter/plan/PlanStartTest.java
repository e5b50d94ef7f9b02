package dev.taskwright.starter.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskSandbox;
import dev.taskwright.starter.task.TaskClient;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code run -f} against an in-process server and worker, with the command driver: starting the
 * same plan twice starts each task once, and says what it found instead.
 */
class PlanStartTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withWorker();

  private static CliRun cli() {
    return sandbox.cli();
  }

  private static TaskClient tasks() {
    return new TaskClient(sandbox.temporal().client());
  }

  /** A plan of independent tasks whose agent writes the prompt into the worktree. */
  private static String planFile(String name, String... taskIds) throws Exception {
    Path script = sandbox.folder().resolve("write-prompt.sh");
    Files.writeString(script, "set -eu\ncat > prompt.txt\n");
    StringBuilder yaml =
        new StringBuilder("agent: command\ncommand: bash " + script + "\ntasks:\n");
    for (String id : taskIds) {
      yaml.append("  - id: ")
          .append(id)
          .append("\n    prompt: Write the prompt of ")
          .append(id)
          .append('\n');
    }
    Files.writeString(sandbox.repo().resolve(name + ".yaml"), yaml);
    return name + ".yaml";
  }

  private static String runId(String taskId) {
    return tasks().require(taskId).getExecution().getRunId();
  }

  /**
   * Ends a task's workflow from outside, whatever its worker does: a closed task the way the server
   * sees one.
   */
  private static void terminate(String taskId) {
    sandbox.temporal().client().newUntypedWorkflowStub(taskId).terminate("ended by the test");
  }

  @Test
  void startingAPlanTwiceStartsEachTaskOnce() throws Exception {
    String file = planFile("twice", "twice-a", "twice-b");

    var first = cli().run("run", "-f", file, "--wait");

    assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.OK);
    assertThat(first.out().lines()).containsExactly("twice-a  started", "twice-b  started");
    assertThat(first.err())
        .contains("Plan twice: started 2 of 2 tasks", "twice-a: READY", "twice-b: READY");
    String runA = runId("twice-a");
    String runB = runId("twice-b");
    terminate("twice-b");

    var second = cli().run("run", "-f", file);

    assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.OK);
    assertThat(second.out().lines())
        .containsExactly("twice-a  already running (READY)", "twice-b  already finished (FAILED)");
    assertThat(second.err()).contains("Plan twice: started 0 of 2 tasks");
    assertThat(runId("twice-a")).as("the running task was not started again").isEqualTo(runA);
    assertThat(runId("twice-b")).as("the finished task was not run again").isEqualTo(runB);
    assertThat(tasks().require("twice-b").getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
  }

  @Test
  void waitFollowsEveryTaskToItsEndAndFailsWhenOneDidNotSucceed() throws Exception {
    String file = planFile("waited", "waited-a", "waited-b");
    var first = cli().run("run", "-f", file);
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.OK);
    terminate("waited-a");
    terminate("waited-b");

    var waited = cli().run("run", "-f", file, "--wait");

    assertThat(waited.exitCode()).as(waited.toString()).isEqualTo(ExitCodes.TASK_NOT_SUCCESSFUL);
    assertThat(waited.out().lines())
        .containsExactly(
            "waited-a  already finished (FAILED)", "waited-b  already finished (FAILED)");
    assertThat(waited.err())
        .containsSubsequence("waited-a: FAILED", "the workflow was terminated", "waited-b: FAILED");
  }

  @Test
  void aPlanWithADependencyAndASubtaskRunsToTheEndInOrder() throws Exception {
    Path script = sandbox.folder().resolve("write-own-file.sh");
    Files.writeString(
        script,
        """
        set -eu
        cat > /dev/null
        echo "$TASKWRIGHT_TASK_ID" > "work-$TASKWRIGHT_TASK_ID.txt"
        """);
    Files.writeString(
        sandbox.repo().resolve("ordered.yaml"),
        """
        agent: command
        command: bash %s
        autoAccept: true
        tasks:
          - id: ordered-b
            prompt: Uses what ordered-a made
            dependsOn: [ordered-a]
          - id: ordered-a
            prompt: Makes something
            subtasks:
              - id: part
                prompt: Makes a part of it
        """
            .formatted(script));

    var run = cli().run("run", "-f", "ordered.yaml", "--wait");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out().lines())
        .containsExactly("ordered-a  started, with 1 subtask", "ordered-b  started");
    assertThat(run.err()).contains("ordered-a: COMPLETED", "ordered-b: COMPLETED");
    assertThat(GitRepos.git(sandbox.repo(), "ls-tree", "--name-only", "taskwright/ordered-b"))
        .as("the dependent branched from its dependency's result, subtask included")
        .contains("work-ordered-a.txt", "work-ordered-a.part.txt", "work-ordered-b.txt");
  }

  @Test
  void aSecondRunStartsOnlyTheTasksAddedSince() throws Exception {
    var first = cli().run("run", "-f", planFile("grown", "grown-a"));
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.OK);
    String runA = runId("grown-a");

    var second = cli().run("run", "-f", planFile("grown", "grown-a", "grown-b"));

    assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.OK);
    assertThat(second.out().lines()).hasSize(2).first().asString().startsWith("grown-a  already ");
    assertThat(second.out().lines()).last().isEqualTo("grown-b  started");
    assertThat(runId("grown-a")).isEqualTo(runA);
    assertThat(tasks().describe("grown-b")).isPresent();
  }

  @Test
  void refusesAPlanWhoseTaskIdIsTakenByAnotherTaskAndStartsNothing() throws Exception {
    var solo = cli().run("run", "--id", "taken-elsewhere", "--command", "true", "do something");
    assertThat(solo.exitCode()).as(solo.toString()).isZero();

    var plan = cli().run("run", "-f", planFile("collides", "collides-first", "taken-elsewhere"));

    assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.INVALID_STATE);
    assertThat(plan.out()).isEmpty();
    assertThat(plan.err().strip())
        .isEqualTo(
            "taskwright: a task 'taken-elsewhere' already exists and is not from plan 'collides'"
                + " (see taskwright status taken-elsewhere); give the task another id in the file;"
                + " nothing was started");
    assertThat(tasks().describe("collides-first")).as("nothing started").isEmpty();
  }
}
