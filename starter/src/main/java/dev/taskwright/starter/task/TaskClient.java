package dev.taskwright.starter.task;

import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.temporal.SearchAttributeRegistration;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.workflows.Names;
import dev.taskwright.workflows.TaskWorkflow;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TaskView;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.common.SearchAttributes;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** What the CLI does with tasks on Temporal: start, look, follow, cancel. One task = one workflow, ID = task ID. */
public final class TaskClient {

  private final WorkflowClient client;

  public TaskClient(WorkflowClient client) {
    this.client = client;
  }

  /**
   * Starts the task. An ID that was ever used, by a running or a closed task, is refused: a task ID
   * names one piece of work, its branch and its worktree, and must not silently mean another.
   */
  public void start(PlannedTask task) {
    var spec = task.spec();
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(spec.id())
            .setTaskQueue(Names.TASK_QUEUE)
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
            .setTypedSearchAttributes(
                SearchAttributes.newBuilder()
                    .set(Names.TASK_STATE, TaskState.QUEUED.name())
                    .set(Names.TASK_REPO, spec.repo())
                    .set(Names.TASK_AGENT, spec.agent().type())
                    .build())
            .setStaticSummary(task.staticSummary())
            .setStaticDetails(task.staticDetails())
            .build();
    TaskWorkflow workflow = client.newWorkflowStub(TaskWorkflow.class, options);
    try {
      WorkflowClient.start(workflow::run, spec);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new CliException(
          ExitCodes.INVALID_STATE,
          "a task with ID '" + spec.id() + "' already exists (see taskwright status " + spec.id() + "); choose another --id, or leave --id out");
    } catch (WorkflowServiceException e) {
      if (e.getCause() instanceof StatusRuntimeException status
          && status.getStatus().getCode() == Status.Code.INVALID_ARGUMENT
          && String.valueOf(status.getStatus().getDescription()).toLowerCase(java.util.Locale.ROOT).contains("search attribute")) {
        throw new CliException(
            ExitCodes.INTERNAL, "the Temporal server does not know taskwright's search attributes: " + SearchAttributeRegistration.howToRegister(), e);
      }
      throw e;
    }
  }

  /** The server's record of the task's workflow, or empty when there is no such task. */
  public Optional<WorkflowExecutionDescription> describe(String taskId) {
    try {
      return Optional.of(client.newUntypedWorkflowStub(taskId).describe());
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    } catch (WorkflowServiceException e) {
      if (isNotFound(e.getCause())) {
        return Optional.empty();
      }
      throw e;
    } catch (StatusRuntimeException e) {
      if (isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The server's record of the task, or exit 3. */
  public WorkflowExecutionDescription require(String taskId) {
    return describe(taskId).orElseThrow(() -> CliException.notFound(taskId));
  }

  /**
   * The task's own view of itself, answered by a worker; empty when no worker answers in time
   * (none is running, or none has the workflow's code).
   *
   * <p>The query goes out as one raw gRPC call with a deadline: the SDK's query retries for up to
   * a minute when nobody answers, and {@code status} should fall back within seconds instead.
   */
  public Optional<TaskView> view(String taskId) {
    QueryWorkflowRequest request =
        QueryWorkflowRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(taskId))
            .setQuery(WorkflowQuery.newBuilder().setQueryType(Names.QUERY_VIEW))
            .build();
    QueryWorkflowResponse response;
    try {
      response =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .withDeadlineAfter(TemporalConnection.QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .queryWorkflow(request);
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.NOT_FOUND) {
        throw CliException.notFound(taskId);
      }
      if (code == Status.Code.UNAVAILABLE) {
        throw e;
      }
      // No worker answered in time, or the worker could not answer (it failed the query).
      return Optional.empty();
    }
    if (response.hasQueryRejected() || !response.hasQueryResult()) {
      return Optional.empty();
    }
    return Optional.of(
        client
            .getOptions()
            .getDataConverter()
            .fromPayloads(0, Optional.of(response.getQueryResult()), TaskView.class, TaskView.class));
  }

  /** Requests Temporal cancellation: the workflow kills its agent, keeps the worktree and ends CANCELLED. */
  public void cancel(String taskId) {
    client.newUntypedWorkflowStub(taskId).cancel();
  }

  /**
   * Follows a task until it is READY or has ended, calling {@code onChange} as it enters each
   * state, and returns how it ended with the task's final picture.
   */
  public FollowResult follow(String taskId, Consumer<TaskStateChange> onChange) throws InterruptedException {
    TaskFollower.Outcome outcome = new TaskFollower(client, taskId).follow(onChange);
    // A worker has the whole picture (title, repo, worktree); without one the result has most of it.
    TaskView view = view(taskId).orElse(null);
    if (view == null || view.state() != outcome.state()) {
      view = outcome.result() != null ? TaskFollower.fromResult(outcome.result()) : withState(view, taskId, outcome.state());
    }
    return new FollowResult(outcome.state(), outcome.note(), view);
  }

  private static TaskView withState(TaskView view, String taskId, TaskState state) {
    if (view == null) {
      return new TaskView(taskId, null, state, null, null, null, null, null, 0, null, null, null, null, null, null, null, null);
    }
    return new TaskView(
        view.id(), view.title(), state, view.reason(), view.repo(), view.baseRef(), view.agentType(), view.question(),
        view.attempts(), view.sessionId(), view.worktreePath(), view.branch(), view.baseCommit(), view.commits(),
        view.summary(), view.lastError(), view.usage());
  }

  static boolean isNotFound(Throwable failure) {
    return failure instanceof StatusRuntimeException status && status.getStatus().getCode() == Status.Code.NOT_FOUND;
  }

  /** True while the workflow runs; false once it has closed, however it closed. */
  public static boolean isRunning(WorkflowExecutionDescription description) {
    return description.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  /**
   * How a followed task ended.
   *
   * @param state READY or a terminal state
   * @param note what else the user should know (a terminated workflow), or null
   * @param view the task as last seen
   */
  public record FollowResult(TaskState state, String note, TaskView view) {
    public boolean successful() {
      return state == TaskState.READY || state == TaskState.COMPLETED;
    }
  }
}
