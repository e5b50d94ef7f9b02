package dev.taskwright.starter.task;

import dev.taskwright.activities.lookup.WorkflowDescriptions;
import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.temporal.SearchAttributeRegistration;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.workflows.Names;
import dev.taskwright.workflows.TaskWorkflow;
import dev.taskwright.workflows.model.ActionReceipt;
import dev.taskwright.workflows.model.Reply;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TaskView;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * What the CLI does with tasks on Temporal: start, look, follow, act, cancel. One task = one
 * workflow, ID = task ID.
 */
public final class TaskClient {

  /**
   * How long an action waits for a worker to take it. A worker answers in milliseconds; the wait
   * only runs out when no worker is polling (the action may then be taken when one starts).
   */
  static final Duration UPDATE_TIMEOUT = Duration.ofSeconds(30);

  private final WorkflowClient client;

  public TaskClient(WorkflowClient client) {
    this.client = client;
  }

  /** The memo key that names the plan (task file) a task came from. */
  public static final String PLAN_MEMO = "plan";

  /**
   * Starts the task. An ID that was ever used, by a running or a closed task, is refused: a task ID
   * names one piece of work, its branch and its worktree, and must not silently mean another.
   */
  public void start(PlannedTask task) {
    String id = task.spec().id();
    if (startIfAbsent(task).isPresent()) {
      throw new CliException(
          ExitCodes.INVALID_STATE,
          "a task with ID '"
              + id
              + "' already exists (see taskwright status "
              + id
              + "); choose another --id, or leave --id out");
    }
  }

  /**
   * Starts the task unless a workflow with its ID exists or existed (within the namespace's
   * retention); returns that workflow's record then, and starts nothing. The same reuse and
   * conflict policies as {@link #start}: the server refuses the duplicate, so two starts racing
   * each other still make one task.
   */
  public Optional<WorkflowExecutionDescription> startIfAbsent(PlannedTask task) {
    var spec = task.spec();
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(spec.id())
            .setTaskQueue(Names.TASK_QUEUE)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
            .setTypedSearchAttributes(
                SearchAttributes.newBuilder()
                    .set(Names.TASK_STATE, TaskState.QUEUED.name())
                    .set(Names.TASK_REPO, spec.repo())
                    .set(Names.TASK_AGENT, spec.agent().type())
                    .build())
            .setStaticSummary(task.staticSummary())
            .setStaticDetails(task.staticDetails());
    if (spec.plan() != null) {
      options.setMemo(Map.of(PLAN_MEMO, spec.plan()));
    }
    TaskWorkflow workflow = client.newWorkflowStub(TaskWorkflow.class, options.build());
    try {
      WorkflowClient.start(workflow::run, spec);
      return Optional.empty();
    } catch (WorkflowExecutionAlreadyStarted e) {
      return Optional.of(require(spec.id()));
    } catch (WorkflowServiceException e) {
      if (e.getCause() instanceof StatusRuntimeException status
          && status.getStatus().getCode() == Status.Code.INVALID_ARGUMENT
          && String.valueOf(status.getStatus().getDescription())
              .toLowerCase(java.util.Locale.ROOT)
              .contains("search attribute")) {
        throw new CliException(
            ExitCodes.INTERNAL,
            "the Temporal server does not know taskwright's search attributes: "
                + SearchAttributeRegistration.howToRegister(),
            e);
      }
      throw e;
    }
  }

  /**
   * The plan a task's workflow was started from (its memo), or null for a task started on its own.
   */
  public static String planOf(WorkflowExecutionDescription description) {
    Object plan = description.getMemo(PLAN_MEMO, String.class);
    return plan instanceof String name ? name : null;
  }

  /** The server's record of the task's workflow, or empty when there is no such task. */
  public Optional<WorkflowExecutionDescription> describe(String taskId) {
    return WorkflowDescriptions.describe(client, taskId);
  }

  /** The server's record of the task, or exit 3. */
  public WorkflowExecutionDescription require(String taskId) {
    return describe(taskId).orElseThrow(() -> CliException.notFound(taskId));
  }

  /**
   * The task's own view of itself, answered by a worker; empty when no worker answers in time (none
   * is running, or none has the workflow's code).
   *
   * <p>The query goes out as one raw gRPC call with a deadline: the SDK's query retries for up to a
   * minute when nobody answers, and {@code status} should fall back within seconds instead.
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
            .fromPayloads(
                0, Optional.of(response.getQueryResult()), TaskView.class, TaskView.class));
  }

  /**
   * The task's view as {@link #view} gives it, asked once more when the first asking went
   * unanswered while a worker polls the task queue. A worker killed a moment ago leaves the
   * workflow on its sticky queue, and the server hands it to a live worker only after the sticky
   * timeout (5 s), the same as a query's deadline; the second asking then reaches the live worker.
   * Empty when no worker polls, or neither asking was answered.
   */
  public Optional<TaskView> viewFromAnyLiveWorker(String taskId) {
    Optional<TaskView> view = view(taskId);
    return view.isPresent() || !workerPolls() ? view : view(taskId);
  }

  /** True when some worker polled the shared task queue within {@link #POLLER_RECENT}. */
  boolean workerPolls() {
    DescribeTaskQueueRequest request =
        DescribeTaskQueueRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setTaskQueue(TaskQueue.newBuilder().setName(Names.TASK_QUEUE))
            .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
            .build();
    Instant recent = Instant.now().minus(POLLER_RECENT);
    try {
      return client
          .getWorkflowServiceStubs()
          .blockingStub()
          .withDeadlineAfter(TemporalConnection.QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .describeTaskQueue(request)
          .getPollersList()
          .stream()
          .anyMatch(
              poller ->
                  Instant.ofEpochSecond(poller.getLastAccessTime().getSeconds()).isAfter(recent));
    } catch (StatusRuntimeException e) {
      // A server that cannot say (the in-process test server does not keep pollers): assume none.
      return false;
    }
  }

  /**
   * A live worker's poll returns, and is renewed, within a minute; a poller older than this is a
   * dead worker's.
   */
  static final Duration POLLER_RECENT = Duration.ofSeconds(70);

  /**
   * Requests Temporal cancellation: the workflow kills its agent, keeps the worktree and ends
   * CANCELLED.
   */
  public void cancel(String taskId) {
    client.newUntypedWorkflowStub(taskId).cancel();
  }

  /**
   * Follows a task from its start until it waits for a person (READY, BLOCKED) or has ended,
   * calling {@code onChange} as it enters each state; returns how it stopped with the task's
   * picture at that moment.
   */
  public FollowResult follow(String taskId, Consumer<TaskStateChange> onChange)
      throws InterruptedException {
    return follow(taskId, 0, onChange);
  }

  /**
   * As {@link #follow(String, Consumer)}, reporting only what happens after event {@code
   * afterEventId}.
   */
  public FollowResult follow(String taskId, long afterEventId, Consumer<TaskStateChange> onChange)
      throws InterruptedException {
    TaskFollower.Outcome outcome = new TaskFollower(client, taskId).follow(afterEventId, onChange);
    // A worker has the whole picture (title, repo, worktree); without one the result has most of
    // it.
    TaskView view = view(taskId).orElse(null);
    if (view == null || view.state() != outcome.state()) {
      view =
          outcome.result() != null
              ? TaskFollower.fromResult(outcome.result())
              : withState(view, taskId, outcome.state());
    }
    return new FollowResult(outcome.state(), outcome.note(), view);
  }

  /**
   * Sends a person's action as the task's validated update and waits for the task's receipt. An
   * action that does not fit the task's state comes back as a refusal with the task's own reason;
   * nothing is recorded for it.
   *
   * @throws CliException exit 3 when the task vanished, exit 5 when no worker took the action in
   *     time
   */
  public ActionOutcome act(String taskId, String action, Reply reply) throws InterruptedException {
    WorkflowStub stub = client.newUntypedWorkflowStub(taskId);
    CompletableFuture<ActionReceipt> update =
        CompletableFuture.supplyAsync(() -> stub.update(action, ActionReceipt.class, reply));
    try {
      return new ActionOutcome(update.get(UPDATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), null);
    } catch (TimeoutException e) {
      update.cancel(true);
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "no worker took the "
              + action
              + " of task "
              + taskId
              + " within "
              + UPDATE_TIMEOUT.toSeconds()
              + " s; a worker that starts later may still take it: check with taskwright status "
              + taskId);
    } catch (ExecutionException e) {
      Throwable failure = e.getCause();
      if (failure instanceof WorkflowUpdateException refused) {
        return new ActionOutcome(null, rootMessage(refused));
      }
      if (failure instanceof WorkflowNotFoundException
          || WorkflowDescriptions.isNotFound(failure.getCause())) {
        throw CliException.notFound(taskId);
      }
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(failure);
    }
  }

  /**
   * How an action went: the task's receipt, or why the task refused it.
   *
   * @param receipt what the task did, when it took the action; else null
   * @param refusal the task's reason for refusing, naming its state; else null
   */
  public record ActionOutcome(ActionReceipt receipt, String refusal) {}

  /**
   * The number of the task's newest history event: what a follower started now has already seen.
   */
  public static long lastEventId(WorkflowExecutionDescription description) {
    return description.getRawDescription().getWorkflowExecutionInfo().getHistoryLength();
  }

  private static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause instanceof ApplicationFailure application
        ? application.getOriginalMessage()
        : cause.getMessage();
  }

  private static TaskView withState(TaskView view, String taskId, TaskState state) {
    if (view == null) {
      return new TaskView(
          taskId, null, state, null, null, null, null, null, 0, null, null, null, null, null, null,
          null, null, null, null, null, null, null, null, null, null);
    }
    return new TaskView(
        view.id(),
        view.title(),
        state,
        view.reason(),
        view.repo(),
        view.baseRef(),
        view.agentType(),
        view.question(),
        view.attempts(),
        view.sessionId(),
        view.worktreePath(),
        view.branch(),
        view.baseCommit(),
        view.commits(),
        view.summary(),
        view.lastError(),
        view.usage(),
        view.rateLimitResetAt(),
        view.mergeCommit(),
        view.conflictFiles(),
        view.actions(),
        view.parentId(),
        view.children(),
        view.dependencies(),
        view.warnings());
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
