package dev.taskwright.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwright.ledger.read.LedgerQueries;
import dev.taskwright.ledger.read.TaskHistory;
import dev.taskwright.ledger.testing.TestDatabase;
import dev.taskwright.workflows.Names;
import dev.taskwright.workflows.TaskWorkflow;
import dev.taskwright.workflows.TaskWorkflowImpl;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.CleanupInput;
import dev.taskwright.workflows.model.CleanupResult;
import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.MergeInput;
import dev.taskwright.workflows.model.MergeResult;
import dev.taskwright.workflows.model.MergeStatus;
import dev.taskwright.workflows.model.PrepareInput;
import dev.taskwright.workflows.model.Question;
import dev.taskwright.workflows.model.Reply;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskSpec;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.Usage;
import dev.taskwright.workflows.model.Workspace;
import dev.taskwright.workflows.ports.AgentActivities;
import dev.taskwright.workflows.ports.WorkspaceActivities;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes down in the middle of a task: the task keeps running, and when the database comes
 * back the ledger catches up with every transition and run, none lost and none twice.
 */
class LedgerOutageTest {

  private static final String HOST = "h1";
  private static final String ID = "outage";

  @TempDir Path postgresRoot;

  private TestWorkflowEnvironment env;
  private EmbeddedPostgres server;
  private LedgerDatabase database;

  @AfterEach
  void tearDown() {
    if (env != null) {
      env.close();
    }
    if (database != null) {
      database.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aTaskRunsOnThroughADatabaseOutageAndTheLedgerCatchesUpWithNothingLostOrDoubled()
      throws Exception {
    server = EmbeddedPostgres.startOrAttach(postgresRoot, TestDatabase.binaryCache());
    database =
        LedgerDatabase.open(
            LedgerLocation.server(
                server.jdbcUrl("postgres"),
                EmbeddedPostgres.SUPERUSER,
                server.superuserPassword()));
    LedgerQueries queries = new LedgerQueries(database);
    AtomicInteger agentRuns = new AtomicInteger();
    startWorkers(agentRuns);

    TaskWorkflow task = env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class, options());
    WorkflowClient.start(task::run, spec());
    await(
        () -> state(queries).equals("BLOCKED"),
        "the ledger to show the task BLOCKED on its question");

    server.close();
    assertThatThrownBy(() -> queries.show(ID)).isInstanceOf(SQLException.class);

    // The person answers while the database is down; the agent runs again and the task completes.
    task.answer(new Reply("Use port 8080"));
    await(
        () -> task.view().state() == TaskState.COMPLETED,
        "the task to complete while the ledger is down");
    assertThat(agentRuns).hasValue(2);
    // It stays open, holding no worker slot, until its ledger writes have landed.
    WorkflowStub untyped = WorkflowStub.fromTyped(task);
    assertThatThrownBy(() -> untyped.getResult(1, TimeUnit.SECONDS, TaskResult.class))
        .isInstanceOf(TimeoutException.class);

    server = EmbeddedPostgres.startOrAttach(postgresRoot, TestDatabase.binaryCache());
    TaskResult result = untyped.getResult(60, TimeUnit.SECONDS, TaskResult.class);

    assertThat(result.state()).isEqualTo(TaskState.COMPLETED);
    TaskHistory history = queries.show(ID).orElseThrow();
    assertThat(history.task().state()).isEqualTo(TaskState.COMPLETED);
    assertThat(history.task().usage().costUsd()).isEqualTo(0.03);
    assertThat(history.transitions())
        .extracting(t -> t.to().name())
        .containsExactly(
            "QUEUED",
            "PREPARING",
            "RUNNING",
            "BLOCKED",
            "RUNNING",
            "COMMITTING",
            "MERGING",
            "COMPLETED");
    assertThat(history.runs())
        .extracting(r -> r.number() + " " + r.kind() + " " + r.outcome())
        .containsExactly("1 FIRST QUESTION", "2 ANSWER SUCCEEDED");
  }

  private static String state(LedgerQueries queries) {
    try {
      return queries.show(ID).map(h -> h.task().state().name()).orElse("");
    } catch (SQLException e) {
      return "";
    }
  }

  private void startWorkers(AtomicInteger agentRuns) {
    env = TestWorkflowEnvironment.newInstance();
    for (var key :
        List.of(Names.TASK_STATE, Names.TASK_REPO, Names.TASK_PARENT, Names.TASK_AGENT)) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    WorkspaceActivities workspace = new FakeWorkspace();
    Worker shared = env.newWorker(Names.TASK_QUEUE);
    shared.registerWorkflowImplementationTypes(TaskWorkflowImpl.class);
    shared.registerActivitiesImplementations(workspace, new LedgerActivitiesImpl(database));
    env.newWorker(Names.hostQueue(HOST)).registerActivitiesImplementations(workspace);
    AgentActivities agent =
        run -> {
          Usage usage = new Usage(1, 100, 10, 0, 0, 0.015);
          return agentRuns.incrementAndGet() == 1
              ? new AgentOutcome(
                  AgentStatus.QUESTION,
                  run.sessionId(),
                  null,
                  null,
                  new Question("Which port?", List.of()),
                  null,
                  usage,
                  "/logs/1",
                  List.of())
              : new AgentOutcome(
                  AgentStatus.SUCCEEDED,
                  run.sessionId(),
                  "Done",
                  null,
                  null,
                  null,
                  usage,
                  "/logs/2",
                  List.of());
        };
    env.newWorker(Names.agentQueue(HOST)).registerActivitiesImplementations(agent);
    env.start();
  }

  private static TaskSpec spec() {
    return TaskSpec.builder()
        .id(ID)
        .title("Serve on a port")
        .prompt("Serve the app")
        .repo("/tmp/repo")
        .baseRef("main")
        .agent(AgentConfig.claude(null))
        .autoAccept(true)
        .maxAttempts(2)
        .timeout(Duration.ofMinutes(30))
        .idleTimeout(Duration.ofMinutes(15))
        .build();
  }

  private static WorkflowOptions options() {
    return WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(Names.TASK_QUEUE).build();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  /** A worktree that is only a name: this test is about the ledger, not git. */
  private static final class FakeWorkspace implements WorkspaceActivities {
    @Override
    public Workspace prepare(PrepareInput input) {
      return new Workspace(
          "/tmp/worktrees/" + input.taskId(), Names.branch(input.taskId()), "base0", HOST);
    }

    @Override
    public CommitResult commit(CommitInput input) {
      return new CommitResult(List.of("c1"), "c1", List.of());
    }

    @Override
    public MergeResult merge(MergeInput input) {
      return new MergeResult(MergeStatus.MERGED, "merged1", List.of(), "merged");
    }

    @Override
    public CleanupResult cleanup(CleanupInput input) {
      return new CleanupResult(true, null);
    }
  }
}
