package dev.taskwright.workflows;

import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.CleanupInput;
import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.PrepareInput;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskSpec;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TaskView;
import dev.taskwright.workflows.model.Usage;
import dev.taskwright.workflows.model.Workspace;
import dev.taskwright.workflows.ports.AgentActivities;
import dev.taskwright.workflows.ports.WorkspaceActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The task workflow: prepare the worktree, run the agent (resuming its session on failure),
 * commit, summarise, clean up. Deterministic: all time, randomness and I/O go through
 * {@link Workflow} or an activity.
 */
public class TaskWorkflowImpl implements TaskWorkflow {

  private static final Logger log = Workflow.getLogger(TaskWorkflowImpl.class);

  /** {@code prepare} may run on any host; the host it ran on keeps the task from then on. */
  private final WorkspaceActivities anyHostWorkspace =
      Workflow.newActivityStub(WorkspaceActivities.class, Timeouts.workspace(Names.TASK_QUEUE));

  private final TaskSpec spec;
  private TaskState state = TaskState.QUEUED;
  private TaskReason reason;
  private int attempts;
  private String sessionId;
  private Workspace workspace;
  private List<String> commits = List.of();
  private String summary;
  private String lastError;
  private Usage usage = Usage.NONE;

  /** State is set up before any handler runs, so a query or signal that arrives first sees a whole task. */
  @WorkflowInit
  public TaskWorkflowImpl(TaskSpec spec) {
    this.spec = spec;
  }

  @Override
  public TaskResult run(TaskSpec ignored) {
    publish();
    try {
      return runTask();
    } catch (CanceledFailure cancelled) {
      throw cancelled(cancelled);
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof CanceledFailure cancelled) {
        throw cancelled(cancelled);
      }
      // An activity gave up for good: its input is wrong (the repository vanished, the agent is
      // not installed) or its retries ran out. The task ends FAILED with the reason in view,
      // rather than as an opaque workflow failure.
      lastError = rootMessage(failure);
      log.warn("Task {} failed in {}: {}", spec.id(), state, lastError);
      enter(TaskState.FAILED, null);
      return finish();
    }
  }

  /**
   * Marks the task cancelled. The agent activity was cancelled with WAIT_CANCELLATION_COMPLETED,
   * so its process tree is dead by now; the worktree and branch are kept for inspection.
   */
  private CanceledFailure cancelled(CanceledFailure cause) {
    enter(TaskState.CANCELLED, null);
    return cause;
  }

  private static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApplicationFailure application) {
      return application.getOriginalMessage();
    }
    return cause.getMessage();
  }

  private TaskResult runTask() {
    enter(TaskState.PREPARING, null);
    workspace = anyHostWorkspace.prepare(new PrepareInput(spec.id(), spec.repo(), spec.baseRef()));
    WorkspaceActivities hostWorkspace =
        Workflow.newActivityStub(WorkspaceActivities.class, Timeouts.workspace(Names.hostQueue(workspace.host())));
    AgentActivities agent =
        Workflow.newActivityStub(AgentActivities.class, Timeouts.agentRun(Names.agentQueue(workspace.host()), spec.timeout()));

    // The session ID is fixed before the first run starts, so it is in history even if the
    // worker dies before the agent prints anything.
    sessionId = Workflow.randomUUID().toString();
    AgentOutcome outcome = runAgentWithRetries(agent);
    if (outcome.status() != AgentStatus.SUCCEEDED) {
      enter(TaskState.FAILED, reasonFor(outcome.status()));
      return finish();
    }

    enter(TaskState.COMMITTING, null);
    CommitResult committed = hostWorkspace.commit(new CommitInput(spec.id(), spec.title(), workspace));
    commits = committed.commits();
    summary = outcome.summary();
    if (!spec.keepWorktree()) {
      var cleanup = hostWorkspace.cleanup(new CleanupInput(spec.id(), spec.repo(), workspace));
      if (!cleanup.removed()) {
        log.info("Kept worktree {}: {}", workspace.path(), cleanup.keptBecause());
      }
    }
    enter(TaskState.COMPLETED, null);
    return finish();
  }

  /**
   * Runs the agent until it succeeds or has used {@code maxAttempts} runs. A failed run whose
   * session exists is resumed with the failure text; one that never started a session starts
   * afresh with the earlier failures in its system prompt.
   */
  private AgentOutcome runAgentWithRetries(AgentActivities agent) {
    List<String> failures = new ArrayList<>();
    boolean sessionStarted = false;
    String prompt = spec.prompt();
    while (true) {
      attempts++;
      enter(TaskState.RUNNING, null);
      AgentRun run =
          new AgentRun(
              spec.id(),
              attempts,
              spec.agent(),
              workspace,
              sessionId,
              sessionStarted,
              prompt,
              sessionStarted ? List.of() : failures,
              spec.timeout(),
              spec.idleTimeout());
      AgentOutcome outcome = agent.run(run);
      usage = usage.plus(outcome.usage());
      if (outcome.sessionId() != null) {
        sessionStarted = true;
        sessionId = outcome.sessionId();
      }
      if (outcome.status() == AgentStatus.SUCCEEDED) {
        lastError = null;
        return outcome;
      }
      lastError = describe(outcome);
      failures.add(lastError);
      log.warn("Agent run {} of task {} ended {}: {}", attempts, spec.id(), outcome.status(), lastError);
      if (attempts >= spec.maxAttempts()) {
        return outcome;
      }
      prompt = sessionStarted ? Prompts.retryAfterFailure(lastError) : spec.prompt();
    }
  }

  private static String describe(AgentOutcome outcome) {
    if (outcome.error() != null && !outcome.error().isBlank()) {
      return outcome.error();
    }
    return "the agent run ended " + outcome.status();
  }

  private static TaskReason reasonFor(AgentStatus status) {
    return switch (status) {
      case TIMED_OUT -> TaskReason.TIMED_OUT;
      case BUDGET_EXCEEDED -> TaskReason.BUDGET_EXCEEDED;
      default -> TaskReason.AGENT_FAILED;
    };
  }

  private TaskResult finish() {
    // Let any update or signal handler that is still running finish before the workflow closes.
    Workflow.await(Workflow::isEveryHandlerFinished);
    return new TaskResult(
        spec.id(),
        state,
        reason,
        workspace == null ? null : workspace.branch(),
        commits,
        summary,
        sessionId,
        lastError,
        usage);
  }

  private void enter(TaskState next, TaskReason why) {
    if (next != state) {
      log.info("Task {}: {} -> {}{}", spec.id(), state, next, why == null ? "" : " (" + why + ")");
    }
    state = next;
    reason = why;
    publish();
  }

  /** Keeps the search attribute and the Web UI's current details in step with the state. */
  private void publish() {
    Workflow.upsertTypedSearchAttributes(Names.TASK_STATE.valueSet(state.name()));
    Workflow.setCurrentDetails(TaskDetails.markdown(view()));
  }

  @Override
  public TaskView view() {
    return new TaskView(
        spec.id(),
        spec.title(),
        state,
        reason,
        spec.repo(),
        spec.baseRef(),
        spec.agent() == null ? null : spec.agent().type(),
        null,
        attempts,
        sessionId,
        workspace == null ? null : workspace.path(),
        workspace == null ? null : workspace.branch(),
        workspace == null ? null : workspace.baseCommit(),
        commits,
        summary,
        lastError,
        usage);
  }
}
