package dev.taskwright.workflows;

import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.CleanupResult;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.TaskSpec;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.Usage;
import dev.taskwright.workflows.model.Workspace;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;

/** Shared fixtures of the workflow tests: one fake host, its queues, and canned port results. */
final class WorkflowTestSupport {
  private WorkflowTestSupport() {}

  static final String HOST = "test-host";
  static final Workspace WORKSPACE =
      new Workspace("/tmp/worktrees/repo/t1", Names.branch("t1"), "base000", HOST);
  static final CommitResult COMMITTED = new CommitResult(List.of("c0ffee1"), "c0ffee1", List.of());
  static final CleanupResult REMOVED = new CleanupResult(true, null);

  /**
   * What a merge into the base branch returns unless a test says otherwise: auto-accepted tasks
   * merge too.
   */
  static final dev.taskwright.workflows.model.MergeResult MERGED =
      new dev.taskwright.workflows.model.MergeResult(
          dev.taskwright.workflows.model.MergeStatus.MERGED, "merged1", List.of(), "merged");

  static TaskSpec spec(String id) {
    return spec(id, true);
  }

  /** A task spec; {@code autoAccept} false makes it stop in READY for review. */
  static TaskSpec spec(String id, boolean autoAccept) {
    return TaskSpec.builder()
        .id(id)
        .title("Add a greeting")
        .prompt("Write hello.txt")
        .repo("/tmp/repo")
        .baseRef("main")
        .agent(AgentConfig.claude(null))
        .autoAccept(autoAccept)
        .maxAttempts(2)
        .timeout(Duration.ofMinutes(30))
        .idleTimeout(Duration.ofMinutes(15))
        .build();
  }

  /** Polls the task's view until it reaches {@code state}; fails after 30 s of real time. */
  static void awaitState(TaskWorkflow task, TaskState state) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    TaskState seen = null;
    while (System.nanoTime() < deadline) {
      try {
        seen = task.view().state();
      } catch (io.temporal.client.WorkflowNotFoundException notStartedYet) {
        seen = null;
      }
      if (seen == state) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("task never reached " + state + "; last seen " + seen);
  }

  static AgentOutcome succeeded(String sessionId, String summary) {
    return new AgentOutcome(
        AgentStatus.SUCCEEDED,
        sessionId,
        summary,
        null,
        null,
        null,
        new Usage(2, 100, 20, 0, 0, 0.01),
        "/logs/run.jsonl",
        List.of());
  }

  static AgentOutcome failed(String sessionId, String error) {
    return new AgentOutcome(
        AgentStatus.FAILED,
        sessionId,
        null,
        error,
        null,
        null,
        new Usage(1, 50, 5, 0, 0, 0.005),
        "/logs/run.jsonl",
        List.of());
  }

  /** The custom search attributes the workflow upserts must exist on the server first. */
  static void registerSearchAttributes(TestWorkflowEnvironment env) {
    for (var key :
        List.of(Names.TASK_STATE, Names.TASK_REPO, Names.TASK_PARENT, Names.TASK_AGENT)) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
  }

  /**
   * The shared-queue worker every workflow test starts with: the search attributes registered, the
   * task workflow, and {@code ledger} for the ledger writes the workflow makes.
   */
  static Worker sharedWorker(TestWorkflowEnvironment env, RecordingLedger ledger) {
    registerSearchAttributes(env);
    Worker shared = env.newWorker(Names.TASK_QUEUE);
    shared.registerWorkflowImplementationTypes(TaskWorkflowImpl.class);
    shared.registerActivitiesImplementations(ledger);
    return shared;
  }

  static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(Names.TASK_QUEUE).build();
  }
}
