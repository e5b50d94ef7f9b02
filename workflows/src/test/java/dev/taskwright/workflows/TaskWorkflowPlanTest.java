package dev.taskwright.workflows;

import static dev.taskwright.workflows.WorkflowTestSupport.HOST;
import static dev.taskwright.workflows.WorkflowTestSupport.awaitState;
import static dev.taskwright.workflows.WorkflowTestSupport.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.CleanupResult;
import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.DependencyLookup;
import dev.taskwright.workflows.model.DependencyOutcome;
import dev.taskwright.workflows.model.MergeInput;
import dev.taskwright.workflows.model.MergeResult;
import dev.taskwright.workflows.model.MergeStatus;
import dev.taskwright.workflows.model.PrepareInput;
import dev.taskwright.workflows.model.Reply;
import dev.taskwright.workflows.model.SubtaskRequest;
import dev.taskwright.workflows.model.TaskLink;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskSpec;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.Usage;
import dev.taskwright.workflows.model.Workspace;
import dev.taskwright.workflows.ports.TaskLookupActivities;
import dev.taskwright.workflows.ports.WorkspaceActivities;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plans: dependencies woken by signals, subtasks as child workflows. */
class TaskWorkflowPlanTest {

  private static final String REPO = "/tmp/repo";

  private TestWorkflowEnvironment env;
  private final RecordingLedger ledger = new RecordingLedger();
  private final PlanAgent agent = new PlanAgent();
  private final List<PrepareInput> prepared = new CopyOnWriteArrayList<>();
  private final List<MergeInput> merges = new CopyOnWriteArrayList<>();
  private final Map<String, DependencyLookup> lookups = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker shared = WorkflowTestSupport.sharedWorker(env, ledger);
    Worker host = env.newWorker(Names.hostQueue(HOST));
    Worker agents =
        env.newWorker(
            Names.agentQueue(HOST),
            WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(100))
                .build());

    WorkspaceActivities workspace =
        mock(WorkspaceActivities.class, withSettings().withoutAnnotations());
    when(workspace.prepare(any()))
        .thenAnswer(
            call -> {
              PrepareInput input = call.getArgument(0);
              prepared.add(input);
              return new Workspace(
                  "/wt/" + input.taskId(),
                  Names.branch(input.taskId()),
                  "base-of-" + input.taskId(),
                  HOST);
            });
    when(workspace.commit(any()))
        .thenAnswer(
            call ->
                new CommitResult(
                    List.of("c-" + ((CommitInput) call.getArgument(0)).taskId()),
                    "head-" + ((CommitInput) call.getArgument(0)).taskId(),
                    List.of()));
    when(workspace.merge(any()))
        .thenAnswer(
            call -> {
              MergeInput input = call.getArgument(0);
              merges.add(input);
              return new MergeResult(
                  MergeStatus.MERGED, "m-" + input.taskId(), List.of(), "merged");
            });
    when(workspace.cleanup(any())).thenReturn(new CleanupResult(true, null));
    shared.registerActivitiesImplementations(workspace);
    host.registerActivitiesImplementations(workspace);
    agents.registerActivitiesImplementations(agent);

    TaskLookupActivities lookup =
        mock(TaskLookupActivities.class, withSettings().withoutAnnotations());
    when(lookup.lookup(anyString()))
        .thenAnswer(
            call ->
                lookups.getOrDefault(
                    (String) call.getArgument(0),
                    new DependencyLookup(call.getArgument(0), false, false, null)));
    shared.registerActivitiesImplementations(lookup);
    env.start();
  }

  @AfterEach
  void tearDown(org.junit.jupiter.api.TestInfo test) throws Exception {
    // The task that shows the path best: the parent, else the last dependent.
    for (String id : List.of("p", "d", "b")) {
      try {
        env.getWorkflowClient().fetchHistory(id);
      } catch (RuntimeException notThere) {
        continue;
      }
      HistoryRecorder.recordIfAsked(env, id, test);
      break;
    }
    env.close();
  }

  private static TaskSpec task(String id, List<String> dependsOn, List<TaskSpec> subtasks) {
    return TaskSpec.builder()
        .id(id)
        .title("Task " + id)
        .prompt("Do " + id)
        .repo(REPO)
        .baseRef("main")
        .agent(AgentConfig.claude(null))
        .autoAccept(true)
        .maxAttempts(1)
        .timeout(Duration.ofMinutes(30))
        .idleTimeout(Duration.ofMinutes(15))
        .plan("plan")
        .dependsOn(dependsOn)
        .subtasks(subtasks)
        .build();
  }

  private WorkflowStub start(TaskSpec spec) {
    WorkflowStub stub =
        env.getWorkflowClient()
            .newUntypedWorkflowStub("TaskWorkflow", WorkflowTestSupport.options(spec.id()));
    stub.start(spec);
    return stub;
  }

  private TaskWorkflow task(String id) {
    return env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class, id);
  }

  @Test
  void diamondCompletesInDependencyOrderAndEachDependentStartsFromWhatItWaitedFor()
      throws Exception {
    // Started in dependency order, as the CLI does, while A's agent is still at work: the others
    // wait without a slot until a signal says their dependencies finished.
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    agent.script(
        "a",
        run -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return WorkflowTestSupport.succeeded(run.sessionId(), "did a");
        });
    WorkflowStub a = start(task("a", List.of(), List.of()));
    WorkflowStub b = start(task("b", List.of("a"), List.of()));
    WorkflowStub c = start(task("c", List.of("a"), List.of()));
    WorkflowStub d = start(task("d", List.of("b", "c"), List.of()));
    awaitState(task("d"), TaskState.WAITING);
    awaitState(task("b"), TaskState.WAITING);
    awaitState(task("c"), TaskState.WAITING);
    assertThat(task("d").view().dependencies())
        .extracting(TaskLink::taskId)
        .containsExactly("b", "c");
    release.countDown();

    for (WorkflowStub stub : List.of(a, b, c, d)) {
      assertThat(stub.getResult(TaskResult.class).state()).isEqualTo(TaskState.COMPLETED);
    }
    assertThat(agent.endOf("a")).isLessThan(agent.startOf("b")).isLessThan(agent.startOf("d"));
    assertThat(agent.endOf("a")).isLessThan(agent.startOf("c"));
    assertThat(agent.endOf("b")).isLessThan(agent.startOf("d"));
    assertThat(agent.endOf("c")).isLessThan(agent.startOf("d"));
    PrepareInput ofD =
        prepared.stream().filter(p -> p.taskId().equals("d")).findFirst().orElseThrow();
    assertThat(ofD.baseRef()).isEqualTo("head-b");
    assertThat(ofD.alsoMerge()).containsExactly("head-c");
    assertThat(task("d").view().dependencies())
        .extracting(TaskLink::state)
        .containsExactly(TaskState.COMPLETED, TaskState.COMPLETED);
  }

  @Test
  void dependencyThatFinishedBeforeItsDependentStartedIsReadFromItsResult() {
    assertThat(start(task("a", List.of(), List.of())).getResult(TaskResult.class).state())
        .isEqualTo(TaskState.COMPLETED);
    lookups.put(
        "a",
        new DependencyLookup(
            "a",
            true,
            true,
            new DependencyOutcome("a", TaskState.COMPLETED, REPO, "taskwright/a", "head-a", null)));

    TaskResult dependent = start(task("b", List.of("a"), List.of())).getResult(TaskResult.class);

    assertThat(dependent.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(
            prepared.stream()
                .filter(p -> p.taskId().equals("b"))
                .findFirst()
                .orElseThrow()
                .baseRef())
        .isEqualTo("head-a");
  }

  @Test
  void dependencyThatDoesNotExistFailsTheDependentWithAClearReason() {
    TaskResult dependent = start(task("b", List.of("nope"), List.of())).getResult(TaskResult.class);

    assertThat(dependent.state()).isEqualTo(TaskState.FAILED);
    assertThat(dependent.reason()).isEqualTo(TaskReason.DEPENDENCY_FAILED);
    assertThat(dependent.error()).contains("task nope does not exist");
    assertThat(agent.runsOf("b")).isEmpty();
  }

  @Test
  void abandonedDependencyFailsItsDependentsAndTheirDependents() {
    agent.script("a", run -> failed(run.sessionId(), "cannot do it"));
    WorkflowStub c = start(task("c", List.of("b"), List.of()));
    WorkflowStub b = start(task("b", List.of("a"), List.of()));
    WorkflowStub a = start(task("a", List.of(), List.of()));
    awaitState(task("a"), TaskState.BLOCKED);
    assertThat(task("b").view().state()).isEqualTo(TaskState.WAITING);

    task("a").abandon(new Reply("not needed"));

    assertThat(a.getResult(TaskResult.class).reason()).isEqualTo(TaskReason.ABANDONED);
    TaskResult ofB = b.getResult(TaskResult.class);
    assertThat(ofB.state()).isEqualTo(TaskState.FAILED);
    assertThat(ofB.reason()).isEqualTo(TaskReason.DEPENDENCY_FAILED);
    assertThat(ofB.error()).contains("dependency a ended FAILED");
    assertThat(c.getResult(TaskResult.class).reason()).isEqualTo(TaskReason.DEPENDENCY_FAILED);
    assertThat(agent.runsOf("b")).isEmpty();
    assertThat(agent.runsOf("c")).isEmpty();
  }

  @Test
  void specSubtasksRunAsChildrenInDependencyOrderAndAreMergedIntoTheParent() {
    TaskSpec parent =
        task(
            "p",
            List.of(),
            List.of(task("p.y", List.of("p.x"), List.of()), task("p.x", List.of(), List.of())));

    TaskResult result = start(parent).getResult(TaskResult.class);

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(agent.endOf("p")).isLessThan(agent.startOf("p.x"));
    assertThat(agent.endOf("p.x")).isLessThan(agent.startOf("p.y"));
    // Children branch from the parent's work; a child that waited for a sibling, from the
    // sibling's.
    assertThat(prepared.stream().filter(p -> p.taskId().equals("p.x")).map(PrepareInput::baseRef))
        .containsExactly("head-p");
    assertThat(prepared.stream().filter(p -> p.taskId().equals("p.y")).map(PrepareInput::baseRef))
        .containsExactly("head-p.x");
    // The children merge into the parent's branch; the auto-accepted parent then merges into its
    // base.
    assertThat(merges).extracting(MergeInput::taskId).containsExactly("p.y", "p.x", "p");
    assertThat(merges)
        .extracting(MergeInput::targetBranch)
        .containsExactly("taskwright/p", "taskwright/p", "main");
    assertThat(task("p").view().children())
        .extracting(TaskLink::taskId, TaskLink::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("p.y", TaskState.COMPLETED),
            org.assertj.core.groups.Tuple.tuple("p.x", TaskState.COMPLETED));
    assertThat(task("p.x").view().parentId()).isEqualTo("p");
  }

  @Test
  void subtasksTheAgentWroteRunAsChildren() {
    agent.script(
        "p",
        run ->
            new AgentOutcome(
                AgentStatus.SUCCEEDED,
                run.sessionId(),
                "split it",
                null,
                null,
                null,
                Usage.NONE,
                "/log",
                List.of(
                    new SubtaskRequest("docs", "Write docs", "Document it", List.of()),
                    new SubtaskRequest(null, "Tests", "Test it", List.of("docs")))));

    TaskResult result = start(task("p", List.of(), List.of())).getResult(TaskResult.class);

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(agent.runsOf("p.docs"))
        .singleElement()
        .extracting(r -> r.prompt())
        .isEqualTo("Document it");
    assertThat(agent.runsOf("p.2")).hasSize(1);
    assertThat(agent.endOf("p.docs")).isLessThan(agent.startOf("p.2"));
    assertThat(merges).extracting(MergeInput::taskId).containsExactly("p.docs", "p.2", "p");
  }

  @Test
  void abandonedChildBlocksTheParentAndRetryRestartsTheChildInItsSession() {
    agent.script("p.x", run -> failed(run.sessionId(), "tests fail"));
    WorkflowStub parent = start(task("p", List.of(), List.of(task("p.x", List.of(), List.of()))));
    awaitState(task("p.x"), TaskState.BLOCKED);
    String childSession = task("p.x").view().sessionId();

    task("p.x").abandon(new Reply("stuck"));
    awaitState(task("p"), TaskState.BLOCKED);
    assertThat(task("p").view().reason()).isEqualTo(TaskReason.SUBTASK_FAILED);
    assertThat(task("p").view().lastError()).contains("p.x");
    task("p").retry(new Reply("Use the fixture in src/test"));

    assertThat(parent.getResult(TaskResult.class).state()).isEqualTo(TaskState.COMPLETED);
    List<dev.taskwright.workflows.model.AgentRun> childRuns = agent.runsOf("p.x");
    assertThat(childRuns).hasSize(2);
    assertThat(childRuns.get(1).resume()).isTrue();
    assertThat(childRuns.get(1).sessionId()).isEqualTo(childSession);
    assertThat(childRuns.get(1).prompt()).isEqualTo("Use the fixture in src/test");
  }

  @Test
  void cancellingTheParentCancelsEveryChildAndKillsTheirAgents() {
    agent.script("p.x", PlanAgent.WORKS_UNTIL_CANCELLED);
    agent.script("p.y", PlanAgent.WORKS_UNTIL_CANCELLED);
    WorkflowStub parent =
        start(
            task(
                "p",
                List.of(),
                List.of(task("p.x", List.of(), List.of()), task("p.y", List.of(), List.of()))));
    awaitState(task("p.x"), TaskState.RUNNING);
    awaitState(task("p.y"), TaskState.RUNNING);

    parent.cancel();

    assertThatThrownBy(() -> parent.getResult(TaskResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    assertThat(task("p").view().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(task("p.x").view().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(task("p.y").view().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(agent.cancelled()).containsExactlyInAnyOrder("p.x", "p.y");
  }
}
