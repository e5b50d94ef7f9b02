package dev.taskwright.workflows;

import static dev.taskwright.workflows.WorkflowTestSupport.COMMITTED;
import static dev.taskwright.workflows.WorkflowTestSupport.HOST;
import static dev.taskwright.workflows.WorkflowTestSupport.REMOVED;
import static dev.taskwright.workflows.WorkflowTestSupport.WORKSPACE;
import static dev.taskwright.workflows.WorkflowTestSupport.failed;
import static dev.taskwright.workflows.WorkflowTestSupport.spec;
import static dev.taskwright.workflows.WorkflowTestSupport.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.RunKind;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.ports.AgentActivities;
import dev.taskwright.workflows.ports.WorkspaceActivities;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.mockito.ArgumentCaptor;

class TaskWorkflowTest {

  private TestWorkflowEnvironment env;
  private final RecordingLedger ledger = new RecordingLedger();
  private Worker sharedWorker;
  private Worker hostWorker;
  private Worker agentWorker;
  private WorkspaceActivities workspace;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    sharedWorker = WorkflowTestSupport.sharedWorker(env, ledger);
    hostWorker = env.newWorker(Names.hostQueue(HOST));
    // Heartbeats reach the server at most this often, so a cancellation reaches the agent in time.
    agentWorker =
        env.newWorker(
            Names.agentQueue(HOST),
            WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(200))
                .build());

    workspace = mock(WorkspaceActivities.class, withSettings().withoutAnnotations());
    when(workspace.merge(any())).thenReturn(WorkflowTestSupport.MERGED);
    when(workspace.prepare(any())).thenReturn(WORKSPACE);
    when(workspace.commit(any())).thenReturn(COMMITTED);
    when(workspace.cleanup(any())).thenReturn(REMOVED);
    sharedWorker.registerActivitiesImplementations(workspace);
    hostWorker.registerActivitiesImplementations(workspace);
  }

  @AfterEach
  void tearDown(TestInfo test) throws Exception {
    HistoryRecorder.recordIfAsked(env, "t1", test);
    env.close();
  }

  private TaskWorkflow start(AgentActivities agent, String id) {
    agentWorker.registerActivitiesImplementations(agent);
    env.start();
    return env.getWorkflowClient()
        .newWorkflowStub(TaskWorkflow.class, WorkflowTestSupport.options(id));
  }

  @Test
  void mainPathCommitsSummarisesAndCompletes() {
    AgentActivities agent = mock(AgentActivities.class, withSettings().withoutAnnotations());
    when(agent.run(any()))
        .thenAnswer(
            call -> succeeded(((AgentRun) call.getArgument(0)).sessionId(), "Created hello.txt"));
    TaskWorkflow task = start(agent, "t1");

    TaskResult result = task.run(spec("t1"));

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(result.commits()).containsExactly("c0ffee1");
    assertThat(result.summary()).isEqualTo("Created hello.txt");
    assertThat(result.branch()).isEqualTo("taskwright/t1");

    ArgumentCaptor<AgentRun> runs = ArgumentCaptor.forClass(AgentRun.class);
    verify(agent).run(runs.capture());
    AgentRun first = runs.getValue();
    assertThat(first.resume()).isFalse();
    assertThat(first.prompt()).isEqualTo("Write hello.txt");
    assertThat(first.runNumber()).isEqualTo(1);
    assertThat(first.sessionId()).isNotBlank().isEqualTo(result.sessionId());
    assertThat(first.workspace()).isEqualTo(WORKSPACE);

    ArgumentCaptor<CommitInput> commit = ArgumentCaptor.forClass(CommitInput.class);
    verify(workspace).commit(commit.capture());
    assertThat(commit.getValue().title()).isEqualTo("Add a greeting");
    verify(workspace).cleanup(any());

    var view = env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class, "t1").view();
    assertThat(view.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(view.sessionId()).isEqualTo(result.sessionId());
    assertThat(view.commits()).containsExactly("c0ffee1");
    assertThat(view.attempts()).isEqualTo(1);
    assertThat(view.usage().turns()).isEqualTo(2);

    // Every transition and the run reached the ledger before the workflow closed.
    assertThat(ledger.states("t1"))
        .containsExactly(
            TaskState.QUEUED,
            TaskState.PREPARING,
            TaskState.RUNNING,
            TaskState.COMMITTING,
            TaskState.MERGING,
            TaskState.COMPLETED);
    assertThat(ledger.endedRuns("t1"))
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.kind()).isEqualTo(RunKind.FIRST);
              assertThat(run.outcome()).isEqualTo(AgentStatus.SUCCEEDED);
              assertThat(run.sessionId()).isEqualTo(result.sessionId());
              assertThat(run.usage().turns()).isEqualTo(2);
            });
    var last = ledger.entries("t1").get(ledger.entries("t1").size() - 1);
    assertThat(last.task().state()).isEqualTo(TaskState.COMPLETED);
    assertThat(last.task().commits()).containsExactly("c0ffee1");
    assertThat(last.task().summary()).isEqualTo("Created hello.txt");
    assertThat(last.task().finishedAt()).isNotNull();
    // With the database up, every write was a local activity: no activity of its own on the server.
    // Auto-accepted, it merges as an accept would (issue 13, item 15).
    assertThat(scheduledActivities("t1"))
        .containsExactly("Prepare", "Run", "Commit", "Merge", "Cleanup");
  }

  @Test
  void ledgerWritesThatFailLocallyAreRetriedInTheBackgroundWhileTheTaskGoesOn() {
    AgentActivities agent = mock(AgentActivities.class, withSettings().withoutAnnotations());
    when(agent.run(any()))
        .thenAnswer(
            call -> succeeded(((AgentRun) call.getArgument(0)).sessionId(), "Created hello.txt"));
    TaskWorkflow task = start(agent, "t1");
    // The first local write and the first background retry fail, as while the database is down.
    ledger.failNext(2);

    TaskResult result = task.run(spec("t1"));

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(ledger.states("t1"))
        .containsExactly(
            TaskState.QUEUED,
            TaskState.PREPARING,
            TaskState.RUNNING,
            TaskState.COMMITTING,
            TaskState.MERGING,
            TaskState.COMPLETED);
    assertThat(ledger.endedRuns("t1"))
        .singleElement()
        .satisfies(run -> assertThat(run.outcome()).isEqualTo(AgentStatus.SUCCEEDED));
    assertThat(scheduledActivities("t1"))
        .contains("RecordInLedger", "Prepare", "Run", "Commit", "Merge", "Cleanup");
  }

  /**
   * The activity types the workflow scheduled on the server, in order (local activities are
   * markers, not listed).
   */
  private List<String> scheduledActivities(String workflowId) {
    return env.getWorkflowClient().fetchHistory(workflowId).getEvents().stream()
        .filter(event -> event.hasActivityTaskScheduledEventAttributes())
        .map(event -> event.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .toList();
  }

  @Test
  void failedRunIsRetriedByResumingTheSameSessionWithTheFailureText() {
    AgentActivities agent = mock(AgentActivities.class, withSettings().withoutAnnotations());
    when(agent.run(any()))
        .thenAnswer(
            call -> failed(((AgentRun) call.getArgument(0)).sessionId(), "tests failed: 3 errors"))
        .thenAnswer(call -> succeeded(((AgentRun) call.getArgument(0)).sessionId(), "Fixed"));
    TaskWorkflow task = start(agent, "t1");

    TaskResult result = task.run(spec("t1"));

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    ArgumentCaptor<AgentRun> runs = ArgumentCaptor.forClass(AgentRun.class);
    verify(agent, org.mockito.Mockito.times(2)).run(runs.capture());
    AgentRun first = runs.getAllValues().get(0);
    AgentRun second = runs.getAllValues().get(1);
    assertThat(second.sessionId()).isEqualTo(first.sessionId());
    assertThat(second.resume()).isTrue();
    assertThat(second.runNumber()).isEqualTo(2);
    assertThat(second.prompt())
        .contains("The previous attempt failed with: tests failed: 3 errors");
    assertThat(result.usage().turns()).isEqualTo(3);
    assertThat(ledger.endedRuns("t1"))
        .extracting(run -> run.number() + " " + run.kind() + " " + run.outcome())
        .containsExactly("1 FIRST FAILED", "2 RETRY SUCCEEDED");
  }

  @Test
  void runThatNeverStartedASessionIsRetriedFreshWithEarlierFailuresInItsSystemPrompt() {
    AgentActivities agent = mock(AgentActivities.class, withSettings().withoutAnnotations());
    when(agent.run(any()))
        .thenReturn(failed(null, "claude exited 1 before starting"))
        .thenAnswer(call -> succeeded(((AgentRun) call.getArgument(0)).sessionId(), "Done"));
    TaskWorkflow task = start(agent, "t1");

    task.run(spec("t1"));

    ArgumentCaptor<AgentRun> runs = ArgumentCaptor.forClass(AgentRun.class);
    verify(agent, org.mockito.Mockito.times(2)).run(runs.capture());
    AgentRun second = runs.getAllValues().get(1);
    assertThat(second.resume()).isFalse();
    assertThat(second.prompt()).isEqualTo("Write hello.txt");
    assertThat(second.earlierFailures()).containsExactly("claude exited 1 before starting");
  }

  @Test
  void agentStillFailingAfterItsAutomaticRetriesWaitsForADecisionAndAbandonEndsItFailed() {
    AgentActivities agent = mock(AgentActivities.class, withSettings().withoutAnnotations());
    when(agent.run(any()))
        .thenAnswer(call -> failed(((AgentRun) call.getArgument(0)).sessionId(), "compile error"));
    start(agent, "t1");
    WorkflowStub stub =
        env.getWorkflowClient()
            .newUntypedWorkflowStub("TaskWorkflow", WorkflowTestSupport.options("t1"));
    stub.start(spec("t1"));
    TaskWorkflow task = env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class, "t1");
    WorkflowTestSupport.awaitState(task, TaskState.BLOCKED);

    assertThat(task.view().reason()).isEqualTo(TaskReason.AGENT_FAILED);
    assertThat(task.view().lastError()).isEqualTo("compile error");
    assertThat(task.view().actions()).containsExactly("retry", "abandon");
    task.abandon(new dev.taskwright.workflows.model.Reply("not worth it"));
    TaskResult result = stub.getResult(TaskResult.class);

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.reason()).isEqualTo(TaskReason.ABANDONED);
    assertThat(result.error()).contains("compile error").contains("not worth it");
    verify(agent, org.mockito.Mockito.times(2)).run(any());
    verify(workspace, never()).commit(any());
    verify(workspace, never()).cleanup(any());
  }

  /**
   * A worker that dies mid-run is an activity failure, not an agent failure: Temporal retries the
   * same activity (attempt 2, same run, same session) and the workflow counts one run.
   */
  @Test
  void activityRetriedAfterWorkerDeathKeepsTheSameRunAndSession() {
    List<Integer> attemptsSeen = new CopyOnWriteArrayList<>();
    List<AgentRun> runsSeen = new CopyOnWriteArrayList<>();
    AgentActivities agent =
        run -> {
          int attempt = Activity.getExecutionContext().getInfo().getAttempt();
          attemptsSeen.add(attempt);
          runsSeen.add(run);
          if (attempt == 1) {
            throw new IllegalStateException("worker lost its agent process");
          }
          return succeeded(run.sessionId(), "Resumed and finished");
        };
    TaskWorkflow task = start(agent, "t1");

    TaskResult result = task.run(spec("t1"));

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(attemptsSeen).containsExactly(1, 2);
    assertThat(runsSeen.get(1)).isEqualTo(runsSeen.get(0));
    assertThat(env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class, "t1").view().attempts())
        .isEqualTo(1);
  }

  @Test
  void cancellationStopsTheAgentKeepsTheWorktreeAndEndsCancelled() throws Exception {
    CountDownLatch agentRunning = new CountDownLatch(1);
    AtomicBoolean agentSawCancellation = new AtomicBoolean();
    AgentActivities agent =
        run -> {
          agentRunning.countDown();
          try {
            while (true) {
              Activity.getExecutionContext().heartbeat(null);
              Thread.sleep(50);
            }
          } catch (ActivityCanceledException cancelled) {
            agentSawCancellation.set(true);
            throw cancelled;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        };
    start(agent, "t1");
    WorkflowStub stub =
        env.getWorkflowClient()
            .newUntypedWorkflowStub("TaskWorkflow", WorkflowTestSupport.options("t1"));
    stub.start(spec("t1"));
    assertThat(agentRunning.await(30, TimeUnit.SECONDS)).isTrue();

    stub.cancel();

    assertThatThrownBy(() -> stub.getResult(TaskResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    assertThat(agentSawCancellation).isTrue();
    assertThat(env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class, "t1").view().state())
        .isEqualTo(TaskState.CANCELLED);
    verify(workspace, never()).commit(any());
    verify(workspace, never()).cleanup(any());
    // The cancellation itself reached the ledger, although the workflow's scope was cancelled.
    assertThat(ledger.states("t1")).endsWith(TaskState.RUNNING, TaskState.CANCELLED);
  }

  @Test
  void keepWorktreeSkipsCleanup() {
    AgentActivities agent = mock(AgentActivities.class, withSettings().withoutAnnotations());
    when(agent.run(any()))
        .thenAnswer(call -> succeeded(((AgentRun) call.getArgument(0)).sessionId(), "ok"));
    TaskWorkflow task = start(agent, "t1");
    var base = spec("t1");
    var keep = base.toBuilder().autoAccept(true).keepWorktree(true).build();

    assertThat(task.run(keep).state()).isEqualTo(TaskState.COMPLETED);
    verify(workspace, never()).cleanup(any());
  }

  @Test
  void workspaceThatCannotBePreparedFailsTheTaskWithTheReason() {
    when(workspace.prepare(any()))
        .thenThrow(
            io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
                "/tmp/repo is not a git repository", FailureType.INVALID_INPUT.type()));
    AgentActivities agent = mock(AgentActivities.class, withSettings().withoutAnnotations());
    TaskWorkflow task = start(agent, "t1");

    TaskResult result = task.run(spec("t1"));

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.error()).isEqualTo("/tmp/repo is not a git repository");
    verify(agent, never()).run(any());
  }
}
