package dev.taskwright.activities.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.DependencyLookup;
import dev.taskwright.workflows.model.DependencyOutcome;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskSpec;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.Usage;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TemporalTaskLookup} against Temporal's test server, with a stand-in task workflow of the
 * real type name.
 */
class TemporalTaskLookupTest {

  private static final String QUEUE = "lookup-test";
  private static final String REPO = "/repos/project";

  /**
   * Stands in for the task workflow: registered under the same type name and started with a real
   * {@link TaskSpec}, it ends as the spec's prompt says. It reads the spec as JSON so that it needs
   * only the fields it uses.
   */
  @WorkflowInterface
  public interface StandInTask {
    @WorkflowMethod(name = "TaskWorkflow")
    TaskResult run(JsonNode spec);

    @SignalMethod
    void finish();
  }

  public static class StandInTaskImpl implements StandInTask {
    private boolean finished;

    @Override
    public TaskResult run(JsonNode json) {
      Spec spec = new Spec(json.get("id").textValue(), json.get("prompt").textValue());
      switch (spec.prompt()) {
        case "wait" -> Workflow.await(() -> finished);
        case "throw" ->
            throw ApplicationFailure.newNonRetryableFailure("the workflow broke", "Bug");
        case "sleep" -> Workflow.sleep(Duration.ofDays(1));
        default -> {}
      }
      return switch (spec.prompt()) {
        case "give up" ->
            result(
                spec,
                TaskState.FAILED,
                TaskReason.ABANDONED,
                List.of("c1"),
                "the agent gave up\nwith a long story");
        case "no commits" -> result(spec, TaskState.COMPLETED, null, List.of(), null);
        default -> result(spec, TaskState.COMPLETED, null, List.of("c1", "c2"), null);
      };
    }

    @Override
    public void finish() {
      finished = true;
    }

    private record Spec(String id, String prompt) {}

    private static TaskResult result(
        Spec spec, TaskState state, TaskReason reason, List<String> commits, String error) {
      return new TaskResult(
          spec.id(),
          state,
          reason,
          "taskwright/" + spec.id(),
          commits,
          "summary",
          null,
          error,
          Usage.NONE,
          null);
    }
  }

  /** Some other workflow that happens to use an ID a task refers to. */
  @WorkflowInterface
  public interface Unrelated {
    @WorkflowMethod
    void run();
  }

  public static class UnrelatedImpl implements Unrelated {
    @Override
    public void run() {}
  }

  private TestWorkflowEnvironment environment;
  private WorkflowClient client;
  private TemporalTaskLookup lookup;

  @BeforeEach
  void setUp() {
    environment = TestWorkflowEnvironment.newInstance();
    Worker worker = environment.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(StandInTaskImpl.class, UnrelatedImpl.class);
    environment.start();
    client = environment.getWorkflowClient();
    lookup = new TemporalTaskLookup(client);
  }

  @AfterEach
  void tearDown() {
    environment.close();
  }

  private WorkflowStub start(String taskId, String prompt, Duration executionTimeout) {
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder().setWorkflowId(taskId).setTaskQueue(QUEUE);
    if (executionTimeout != null) {
      options.setWorkflowExecutionTimeout(executionTimeout);
    }
    WorkflowStub task = client.newUntypedWorkflowStub("TaskWorkflow", options.build());
    task.start(
        TaskSpec.builder()
            .id(taskId)
            .title("title")
            .prompt(prompt)
            .repo(REPO)
            .baseRef("main")
            .agent(AgentConfig.claude(null))
            .autoAccept(true)
            .maxAttempts(1)
            .build());
    return task;
  }

  /** Starts a task and waits until its workflow has closed, however it closed. */
  private void finished(String taskId, String prompt) {
    awaitClose(start(taskId, prompt, null));
  }

  private static void awaitClose(WorkflowStub stub) {
    Throwable failure = catchThrowable(() -> stub.getResult(TaskResult.class));
    assertThat(failure)
        .satisfiesAnyOf(
            f -> assertThat(f).isNull(),
            f -> assertThat(f).isInstanceOf(WorkflowFailedException.class));
  }

  @Test
  void aTaskThatDoesNotExist() {
    assertThat(lookup.lookup("nobody"))
        .isEqualTo(new DependencyLookup("nobody", false, false, null));
  }

  @Test
  void aRunningTaskExistsAndIsNotClosedUntilItFinishes() {
    WorkflowStub task = start("a", "wait", null);

    assertThat(lookup.lookup("a")).isEqualTo(new DependencyLookup("a", true, false, null));

    task.signal("finish");
    awaitClose(task);
    assertThat(lookup.lookup("a"))
        .isEqualTo(
            new DependencyLookup(
                "a",
                true,
                true,
                new DependencyOutcome(
                    "a", TaskState.COMPLETED, REPO, "taskwright/a", "c2", "task a completed")));
  }

  @Test
  void aCompletedTaskIsSatisfiedWithItsLastCommitAsTheHead() {
    finished("a", "complete");

    DependencyLookup found = lookup.lookup("a");

    assertThat(found.closed()).isTrue();
    assertThat(found.outcome().satisfied()).isTrue();
    assertThat(found.outcome().headCommit()).isEqualTo("c2");
    assertThat(found.outcome().repo()).isEqualTo(REPO);
    assertThat(lookup.lookup("a")).as("asking again gives the same answer").isEqualTo(found);
  }

  @Test
  void aCompletedTaskWithoutCommitsHasNoHead() {
    finished("a", "no commits");

    DependencyOutcome outcome = lookup.lookup("a").outcome();

    assertThat(outcome.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(outcome.branch()).isEqualTo("taskwright/a");
    assertThat(outcome.headCommit()).isNull();
  }

  @Test
  void aTaskThatFailedIsFailedWithItsReasonAndTheFirstLineOfItsError() {
    finished("a", "give up");

    DependencyOutcome outcome = lookup.lookup("a").outcome();

    assertThat(outcome.state()).isEqualTo(TaskState.FAILED);
    assertThat(outcome.satisfied()).isFalse();
    assertThat(outcome.detail()).isEqualTo("task a failed (ABANDONED): the agent gave up");
    assertThat(outcome.repo()).isEqualTo(REPO);
  }

  @Test
  void aCancelledTaskIsCancelled() {
    WorkflowStub task = start("a", "wait", null);
    task.cancel();
    awaitClose(task);

    assertThat(lookup.lookup("a"))
        .isEqualTo(
            new DependencyLookup(
                "a",
                true,
                true,
                new DependencyOutcome(
                    "a", TaskState.CANCELLED, REPO, null, null, "task a was cancelled")));
  }

  @Test
  void aTerminatedTaskIsCancelledWithTheReason() {
    WorkflowStub task = start("a", "wait", null);
    task.terminate("stopped by hand");
    awaitClose(task);

    DependencyOutcome outcome = lookup.lookup("a").outcome();

    assertThat(outcome.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(outcome.detail()).isEqualTo("task a was terminated: stopped by hand");
  }

  @Test
  void aTaskWhoseWorkflowFailedIsFailedWithTheMessage() {
    finished("a", "throw");

    DependencyOutcome outcome = lookup.lookup("a").outcome();

    assertThat(outcome.state()).isEqualTo(TaskState.FAILED);
    assertThat(outcome.detail()).isEqualTo("task a failed: the workflow broke");
  }

  @Test
  void aTaskWhoseWorkflowTimedOutIsFailed() {
    awaitClose(start("a", "sleep", Duration.ofHours(1)));

    DependencyOutcome outcome = lookup.lookup("a").outcome();

    assertThat(outcome.state()).isEqualTo(TaskState.FAILED);
    assertThat(outcome.detail()).isEqualTo("task a timed out");
  }

  @Test
  void aWorkflowThatIsNotATaskIsAFailedDependency() {
    Unrelated other =
        client.newWorkflowStub(
            Unrelated.class,
            WorkflowOptions.newBuilder().setWorkflowId("a").setTaskQueue(QUEUE).build());
    other.run();

    DependencyLookup found = lookup.lookup("a");

    assertThat(found.exists()).isTrue();
    assertThat(found.closed()).isTrue();
    assertThat(found.outcome().state()).isEqualTo(TaskState.FAILED);
    assertThat(found.outcome().detail())
        .isEqualTo("workflow a is a Unrelated, not a taskwright task");
  }
}
