package dev.taskwright.starter.task;

import com.google.protobuf.ByteString;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.workflows.Names;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TaskView;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows a task by reading its workflow history as it grows. Every state change is in history as
 * an upsert of the {@code TaskState} search attribute, so this sees each one exactly, even those
 * that last a few milliseconds, without asking a worker anything; and it ends on the event that
 * closes the workflow, so a cancellation is seen as one.
 *
 * <p>It reads the new events twice a second rather than long-polling: the in-process test server
 * that {@code dev} and {@code demo} run only long-polls for the closing event, and a task's history
 * is a few dozen events, so rereading it is cheap.
 */
final class TaskFollower {

  /** Often enough that a person watching sees each state change as it happens. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(500);

  private final WorkflowClient client;
  private final String taskId;

  TaskFollower(WorkflowClient client, String taskId) {
    this.client = client;
    this.taskId = taskId;
  }

  /**
   * How the history ended: the last state, the workflow's result when it completed, and a note when
   * it closed some other way than by returning.
   */
  record Outcome(TaskState state, TaskResult result, String note) {}

  /**
   * Follows the task until it waits for a person (READY, BLOCKED) or has ended. Events up to {@code
   * afterEventId} happened before the caller acted: they are read (so agent runs are counted right)
   * but neither reported nor taken as the end, so an {@code accept} is not answered with the READY
   * it was sent in.
   */
  Outcome follow(long afterEventId, Consumer<TaskStateChange> onChange)
      throws InterruptedException {
    long lastEventId = 0;
    TaskState current = TaskState.QUEUED;
    int runs = 0;
    while (true) {
      for (HistoryEvent event : eventsAfter(lastEventId)) {
        lastEventId = event.getEventId();
        boolean fresh = lastEventId > afterEventId;
        switch (event.getEventType()) {
          case EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES -> {
            Optional<TaskState> state = taskState(event);
            if (state.isEmpty()) {
              break;
            }
            // RUNNING is entered afresh for each agent run, so every RUNNING upsert is news. An
            // ended task is announced with its closing event, which carries the reason and error.
            boolean news =
                (state.get() != current || state.get() == TaskState.RUNNING)
                    && !state.get().isTerminal();
            current = state.get();
            if (current == TaskState.RUNNING) {
              runs++;
            }
            if (!fresh) {
              break;
            }
            if (news) {
              onChange.accept(
                  new TaskStateChange(
                      taskId, current, current == TaskState.RUNNING ? runs : 0, null));
            }
            if (current == TaskState.READY || current == TaskState.BLOCKED) {
              return new Outcome(current, null, null);
            }
          }
          case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
            TaskResult result =
                client
                    .getOptions()
                    .getDataConverter()
                    .fromPayloads(
                        0,
                        Optional.of(
                            event.getWorkflowExecutionCompletedEventAttributes().getResult()),
                        TaskResult.class,
                        TaskResult.class);
            return ended(onChange, result.state(), result, null);
          }
          case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> {
            return ended(onChange, TaskState.CANCELLED, null, null);
          }
          case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
            String reason = event.getWorkflowExecutionTerminatedEventAttributes().getReason();
            return ended(
                onChange,
                TaskState.FAILED,
                null,
                "the workflow was terminated" + (reason.isBlank() ? "" : ": " + reason));
          }
          case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> {
            return ended(onChange, TaskState.FAILED, null, "the workflow timed out");
          }
          case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
            String message =
                event.getWorkflowExecutionFailedEventAttributes().getFailure().getMessage();
            return ended(onChange, TaskState.FAILED, null, "the workflow failed: " + message);
          }
          default -> {
            // Activity and timer events say nothing the state changes do not.
          }
        }
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
  }

  private Outcome ended(
      Consumer<TaskStateChange> onChange, TaskState last, TaskResult result, String note) {
    onChange.accept(new TaskStateChange(taskId, last, 0, detail(result, note)));
    return new Outcome(last, result, note);
  }

  private static String detail(TaskResult result, String note) {
    if (note != null) {
      return note;
    }
    if (result == null) {
      return null;
    }
    String reason = result.reason() == null ? "" : "(" + result.reason() + ")";
    String error =
        result.error() == null ? "" : result.error().strip().lines().findFirst().orElse("");
    String detail = (reason + (reason.isEmpty() || error.isEmpty() ? "" : " - ") + error).strip();
    return detail.isEmpty() ? null : detail;
  }

  /** The task's history events after {@code lastEventId}, reading every page. */
  private List<HistoryEvent> eventsAfter(long lastEventId) {
    List<HistoryEvent> events = new ArrayList<>();
    ByteString pageToken = ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse page =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .withDeadlineAfter(
                  TemporalConnection.CONNECT_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS)
              .getWorkflowExecutionHistory(
                  GetWorkflowExecutionHistoryRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(taskId))
                      .setNextPageToken(pageToken)
                      .build());
      for (HistoryEvent event : page.getHistory().getEventsList()) {
        if (event.getEventId() > lastEventId) {
          events.add(event);
        }
      }
      pageToken = page.getNextPageToken();
    } while (!pageToken.isEmpty());
    return events;
  }

  /** The {@code TaskState} value an upsert event set, if it set one. */
  private static Optional<TaskState> taskState(HistoryEvent event) {
    Payload payload =
        event
            .getUpsertWorkflowSearchAttributesEventAttributes()
            .getSearchAttributes()
            .getIndexedFieldsMap()
            .get(Names.TASK_STATE.getName());
    if (payload == null) {
      return Optional.empty();
    }
    // Search attributes are always encoded by the standard converter, whatever the client's own is.
    String value =
        DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
    try {
      return Optional.of(TaskState.valueOf(value));
    } catch (IllegalArgumentException unknown) {
      return Optional.empty();
    }
  }

  /** The task's final picture when no worker answers for it: what the result says. */
  static TaskView fromResult(TaskResult result) {
    return new TaskView(
        result.id(),
        null,
        result.state(),
        result.reason(),
        null,
        null,
        null,
        null,
        0,
        result.sessionId(),
        null,
        result.branch(),
        null,
        result.commits(),
        result.summary(),
        result.error(),
        result.usage(),
        null,
        result.mergeCommit(),
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
