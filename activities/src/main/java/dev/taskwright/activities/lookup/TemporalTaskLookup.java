package dev.taskwright.activities.lookup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwright.workflows.TaskWorkflow;
import dev.taskwright.workflows.model.DependencyLookup;
import dev.taskwright.workflows.model.DependencyOutcome;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskSpec;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.ports.TaskLookupActivities;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks a task up on the Temporal server: describes the workflow whose ID is the task ID (its
 * latest run) and, once it has closed, reads how it ended from its close event and its repository
 * from its start event. Both reads fetch one event each, never the whole history, so a lookup costs
 * the same for a task with a long life as for a short one.
 *
 * <p>Read-only, so a retry after a crash asks again and gets the same answer. Failures to reach the
 * server are left to the activity's retries; a workflow with the task's ID that is not a taskwright
 * task is answered as a failed dependency, since it will never send {@code dependencyFinished}.
 */
public class TemporalTaskLookup implements TaskLookupActivities {

  private static final Logger log = LoggerFactory.getLogger(TemporalTaskLookup.class);

  /**
   * The type every task workflow runs as: the interface's name, as Temporal names it by default.
   */
  static final String TASK_WORKFLOW_TYPE = TaskWorkflow.class.getSimpleName();

  private final WorkflowClient client;

  public TemporalTaskLookup(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public DependencyLookup lookup(String taskId) {
    Optional<WorkflowExecutionDescription> description =
        WorkflowDescriptions.describe(client, taskId);
    if (description.isEmpty()) {
      log.info("Task lookup: {} does not exist", taskId);
      return new DependencyLookup(taskId, false, false, null);
    }
    WorkflowExecutionDescription found = description.get();
    if (!TASK_WORKFLOW_TYPE.equals(found.getWorkflowType())) {
      return closed(
          taskId,
          new DependencyOutcome(
              taskId,
              TaskState.FAILED,
              null,
              null,
              null,
              "workflow "
                  + taskId
                  + " is a "
                  + found.getWorkflowType()
                  + ", not a taskwright task"));
    }
    WorkflowExecutionStatus status = found.getStatus();
    if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW) {
      // Continued-as-new is only ever seen for a run that is no longer the latest; its successor
      // runs.
      return new DependencyLookup(taskId, true, false, null);
    }
    WorkflowExecution execution = found.getExecution();
    String repo = repositoryOf(execution);
    DependencyOutcome outcome = outcome(taskId, status, repo, closeEvent(execution));
    log.info("Task lookup: {} closed {}: {}", taskId, outcome.state(), outcome.detail());
    return closed(taskId, outcome);
  }

  private static DependencyLookup closed(String taskId, DependencyOutcome outcome) {
    return new DependencyLookup(taskId, true, true, outcome);
  }

  /** How a closed execution ended, as a dependency outcome. */
  private DependencyOutcome outcome(
      String taskId, WorkflowExecutionStatus status, String repo, HistoryEvent close) {
    return switch (status) {
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> completed(taskId, repo, close);
      case WORKFLOW_EXECUTION_STATUS_CANCELED ->
          new DependencyOutcome(
              taskId, TaskState.CANCELLED, repo, null, null, "task " + taskId + " was cancelled");
      case WORKFLOW_EXECUTION_STATUS_TERMINATED -> {
        String reason = close.getWorkflowExecutionTerminatedEventAttributes().getReason();
        // A person stopped it by force: for its dependents that is a cancellation, not a failure of
        // its work.
        yield new DependencyOutcome(
            taskId,
            TaskState.CANCELLED,
            repo,
            null,
            null,
            "task " + taskId + " was terminated" + (reason.isBlank() ? "" : ": " + reason));
      }
      case WORKFLOW_EXECUTION_STATUS_TIMED_OUT ->
          new DependencyOutcome(
              taskId, TaskState.FAILED, repo, null, null, "task " + taskId + " timed out");
      default -> {
        String message =
            close.hasWorkflowExecutionFailedEventAttributes()
                ? close.getWorkflowExecutionFailedEventAttributes().getFailure().getMessage()
                : status.name();
        yield new DependencyOutcome(
            taskId, TaskState.FAILED, repo, null, null, "task " + taskId + " failed: " + message);
      }
    };
  }

  /**
   * A task workflow that completed returns its {@link TaskResult}, which says whether the task
   * itself completed or failed (a task that gives up ends FAILED without failing its workflow).
   */
  private DependencyOutcome completed(String taskId, String repo, HistoryEvent close) {
    Optional<Payloads> payloads =
        close.getWorkflowExecutionCompletedEventAttributes().hasResult()
            ? Optional.of(close.getWorkflowExecutionCompletedEventAttributes().getResult())
            : Optional.empty();
    TaskResult result = decode(payloads, TaskResult.class);
    if (result == null || result.state() == null) {
      return new DependencyOutcome(
          taskId,
          TaskState.FAILED,
          repo,
          null,
          null,
          "task " + taskId + " completed without a result");
    }
    List<String> commits = result.commits();
    String head = commits.isEmpty() ? null : commits.get(commits.size() - 1);
    TaskState state =
        result.state() == TaskState.COMPLETED || result.state() == TaskState.CANCELLED
            ? result.state()
            : TaskState.FAILED;
    return new DependencyOutcome(
        taskId, state, repo, result.branch(), head, detail(taskId, result, state));
  }

  private static String detail(String taskId, TaskResult result, TaskState state) {
    return switch (state) {
      case COMPLETED -> "task " + taskId + " completed";
      case CANCELLED -> "task " + taskId + " was cancelled";
      default -> {
        String why =
            result.error() != null && !result.error().isBlank()
                ? result.error().strip().lines().findFirst().orElse("")
                : "";
        String reason = result.reason() == null ? "" : " (" + result.reason() + ")";
        yield "task " + taskId + " failed" + reason + (why.isEmpty() ? "" : ": " + why);
      }
    };
  }

  /**
   * The repository from the workflow's input, a {@link TaskSpec}; null when it cannot be read. Only
   * its {@code repo} field is read, so that a task started by an older or newer taskwright, whose
   * spec has other fields, is still found.
   */
  private String repositoryOf(WorkflowExecution execution) {
    HistoryEvent started =
        firstEvent(execution, HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT);
    if (started == null || !started.hasWorkflowExecutionStartedEventAttributes()) {
      return null;
    }
    var attributes = started.getWorkflowExecutionStartedEventAttributes();
    if (!attributes.hasInput() || attributes.getInput().getPayloadsCount() == 0) {
      return null;
    }
    JsonNode spec = decode(Optional.of(attributes.getInput()), JsonNode.class);
    JsonNode repo = spec == null ? null : spec.get("repo");
    return repo != null && repo.isTextual() ? repo.textValue() : null;
  }

  private HistoryEvent closeEvent(WorkflowExecution execution) {
    HistoryEvent close =
        firstEvent(execution, HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT);
    return close == null ? HistoryEvent.getDefaultInstance() : close;
  }

  /** The first event of the history (or of its close event only), fetched alone. */
  private HistoryEvent firstEvent(WorkflowExecution execution, HistoryEventFilterType filter) {
    GetWorkflowExecutionHistoryRequest request =
        GetWorkflowExecutionHistoryRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(execution)
            .setMaximumPageSize(1)
            .setHistoryEventFilterType(filter)
            .build();
    var events =
        client
            .getWorkflowServiceStubs()
            .blockingStub()
            .getWorkflowExecutionHistory(request)
            .getHistory()
            .getEventsList();
    return events.isEmpty() ? null : events.get(0);
  }

  /**
   * The first payload as {@code type}, or null when it does not decode: a lookup answers as well as
   * it can, and a retry would not make an unreadable payload readable.
   */
  private <T> T decode(Optional<Payloads> payloads, Class<T> type) {
    if (payloads.isEmpty()) {
      return null;
    }
    DataConverter converter = client.getOptions().getDataConverter();
    try {
      return converter.fromPayloads(0, payloads, type, type);
    } catch (DataConverterException e) {
      log.warn(
          "Could not read a {} from a task's history: {}", type.getSimpleName(), e.getMessage());
      return null;
    }
  }
}
