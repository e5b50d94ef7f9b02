package dev.taskwright.starter.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskwright.starter.task.TaskClient;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.starter.temporal.TemporalSettings;
import dev.taskwright.testing.ModelRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What every fault test checks of a task once the fault is over: it ended in the expected state
 * once, with exactly one commit of its own on its branch holding the agent's work, one agent
 * session throughout, no agent process left running, and ledger rows that are complete (every run
 * ended, every state change there, in order) and not duplicated.
 */
public final class TaskInvariants {
  private TaskInvariants() {}

  /**
   * Checks that the task finished once, in {@code state}, with its work on its branch.
   *
   * @param baseCommit the commit the task branched from
   * @param file a file the agent wrote, and {@code content} what it holds on the task branch
   * @return the task's status, for further checks
   */
  public static JsonNode assertFinishedOnce(
      FaultSandbox sandbox,
      String taskId,
      String state,
      String baseCommit,
      String file,
      String content)
      throws IOException, InterruptedException {
    JsonNode status = sandbox.cli().statusJson(taskId);
    assertThat(status.path("state").asText()).as("state of %s", taskId).isEqualTo(state);
    awaitClosed(sandbox, taskId);

    String branch = "taskwright/" + taskId;
    List<String> own =
        GitRepos.git(sandbox.repo(), "rev-list", baseCommit + ".." + branch).lines().toList();
    assertThat(own).as("commits of %s on %s", taskId, branch).hasSize(1);
    assertThat(status.path("commits"))
        .extracting(JsonNode::asText)
        .as("the commits %s reports", taskId)
        .containsExactlyElementsOf(own);
    assertThat(GitRepos.git(sandbox.repo(), "show", branch + ":" + file))
        .as("the agent's work, committed")
        .isEqualTo(content.strip());

    String sessionId = status.path("sessionId").asText();
    assertThat(sessionId).as("the session of %s", taskId).isNotBlank();
    Set<String> sessions =
        sandbox.model().requests().stream()
            .filter(request -> taskId.equals(taskOf(request)))
            .map(ModelRequest::sessionId)
            .collect(Collectors.toSet());
    assertThat(sessions).as("the sessions the model saw for %s", taskId).containsExactly(sessionId);

    assertThat(sandbox.agentProcesses()).as("agent processes still running").isEmpty();
    assertLedgerComplete(sandbox, taskId, state, sessionId);
    return status;
  }

  /**
   * Waits until the task's workflow has closed. A task reports its final state at once, but its
   * workflow closes only once every ledger write has landed; a write that went to a killed worker
   * is retried when its start-to-close timeout runs out. From then on the ledger must be whole.
   */
  private static void awaitClosed(FaultSandbox sandbox, String taskId) throws InterruptedException {
    long deadline = System.nanoTime() + CLOSE_LIMIT.toNanos();
    try (TemporalConnection connection =
        TemporalConnection.connect(TemporalSettings.local(sandbox.server().address()))) {
      TaskClient tasks = new TaskClient(connection.client());
      while (TaskClient.isRunning(tasks.require(taskId))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "the workflow of "
                  + taskId
                  + " did not close within "
                  + CLOSE_LIMIT
                  + "\n"
                  + sandbox.workerLogs());
        }
        Thread.sleep(250);
      }
    }
  }

  /** Well past the ledger write's start-to-close timeout and its retry backoff. */
  private static final Duration CLOSE_LIMIT = Duration.ofMinutes(2);

  /**
   * Which task a request is for: the fault tests' prompts start "Task ID:", and the first such
   * mention is the task's own (a dependent's prompt names what it waited for after its own).
   */
  public static String taskOf(ModelRequest request) {
    Matcher matcher = TASK.matcher(String.join("\n", request.userTexts()));
    return matcher.find() ? matcher.group(1) : null;
  }

  private static final Pattern TASK = Pattern.compile("Task ([a-z0-9-]+):");

  /**
   * The ledger has the task in its state, every run ended in the one session, every change once and
   * in order.
   */
  public static void assertLedgerComplete(
      FaultSandbox sandbox, String taskId, String state, String sessionId) throws IOException {
    CliRun.Result show = sandbox.cli().run("show", taskId, "--output", "json");
    assertThat(show.exitCode()).as(show.toString()).isZero();
    JsonNode task = new ObjectMapper().readTree(show.out());
    assertThat(task.path("state").asText()).as("the ledger's state of %s", taskId).isEqualTo(state);

    JsonNode runs = task.path("runs");
    assertThat(runs.size()).as("runs of %s in the ledger: %s", taskId, runs).isPositive();
    for (int i = 0; i < runs.size(); i++) {
      JsonNode run = runs.get(i);
      assertThat(run.path("number").asInt()).as("run numbers, one each: %s", runs).isEqualTo(i + 1);
      assertThat(run.path("endedAt").isNull() || run.path("endedAt").isMissingNode())
          .as("run %s ended: %s", i + 1, run)
          .isFalse();
      assertThat(run.path("sessionId").asText())
          .as("session of run %s", i + 1)
          .isEqualTo(sessionId);
    }

    JsonNode transitions = task.path("transitions");
    List<String> problems = new ArrayList<>();
    for (int i = 1; i < transitions.size(); i++) {
      JsonNode before = transitions.get(i - 1);
      JsonNode after = transitions.get(i);
      if (!after.path("from").asText().equals(before.path("to").asText())) {
        problems.add(
            "#"
                + i
                + " goes from "
                + after.path("from").asText()
                + " but the one before ended in "
                + before.path("to").asText());
      }
      if (after.equals(before)) {
        problems.add("#" + i + " is recorded twice: " + after);
      }
    }
    assertThat(problems).as("the ledger's transitions of %s: %s", taskId, transitions).isEmpty();
    assertThat(transitions.get(transitions.size() - 1).path("to").asText())
        .as("the last transition of %s", taskId)
        .isEqualTo(state);
  }
}
