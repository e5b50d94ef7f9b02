package dev.taskwright.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Reads task workflows' histories: when each closed, and when its steps happened, in server time.
 */
final class Histories {

  private static final String NAMESPACE = "default";

  private Histories() {}

  /**
   * Waits (long-polling the server, no busy loop) until the workflow {@code id} has closed; returns
   * its close event.
   */
  static HistoryEvent awaitClose(WorkflowServiceStubs service, String id) {
    while (true) {
      GetWorkflowExecutionHistoryResponse page;
      try {
        // The CLI's server ends a long poll by itself within its 20 s; the in-process one holds it
        // until the workflow closes, so the call gets its own deadline and is asked again.
        page =
            service
                .blockingStub()
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .getWorkflowExecutionHistory(
                    GetWorkflowExecutionHistoryRequest.newBuilder()
                        .setNamespace(NAMESPACE)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                        .setWaitNewEvent(true)
                        .setHistoryEventFilterType(
                            HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
                        .build());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
          continue;
        }
        throw e;
      }
      if (page.getHistory().getEventsCount() > 0) {
        return page.getHistory().getEvents(0);
      }
    }
  }

  static DescribeWorkflowExecutionResponse describe(WorkflowServiceStubs service, String id) {
    return service
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                .build());
  }

  static List<HistoryEvent> history(WorkflowServiceStubs service, String id) {
    List<HistoryEvent> events = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      var page =
          service
              .blockingStub()
              .getWorkflowExecutionHistory(
                  GetWorkflowExecutionHistoryRequest.newBuilder()
                      .setNamespace(NAMESPACE)
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                      .setNextPageToken(token)
                      .build());
      events.addAll(page.getHistory().getEventsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return events;
  }

  static long millis(Timestamp time) {
    return time.getSeconds() * 1000 + time.getNanos() / 1_000_000;
  }

  static long startMillis(List<HistoryEvent> history) {
    return millis(history.get(0).getEventTime());
  }

  static long closeMillis(List<HistoryEvent> history) {
    return millis(history.get(history.size() - 1).getEventTime());
  }

  /**
   * When the first activity of type {@code activityType} completed, in server time; empty if none
   * did.
   */
  static OptionalLong activityCompleted(List<HistoryEvent> history, String activityType) {
    return firstOfActivity(history, activityType, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
  }

  /**
   * When the first activity of type {@code activityType} was started by a worker, in server time.
   */
  static OptionalLong activityStarted(List<HistoryEvent> history, String activityType) {
    return firstOfActivity(history, activityType, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
  }

  private static OptionalLong firstOfActivity(
      List<HistoryEvent> history, String activityType, EventType eventType) {
    Map<Long, String> scheduled = new HashMap<>();
    for (HistoryEvent event : history) {
      if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        scheduled.put(
            event.getEventId(),
            event.getActivityTaskScheduledEventAttributes().getActivityType().getName());
      } else if (event.getEventType() == eventType
          && activityType.equals(scheduled.get(scheduledEventId(event)))) {
        return OptionalLong.of(millis(event.getEventTime()));
      }
    }
    return OptionalLong.empty();
  }

  private static long scheduledEventId(HistoryEvent event) {
    return event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
        ? event.getActivityTaskStartedEventAttributes().getScheduledEventId()
        : event.getActivityTaskCompletedEventAttributes().getScheduledEventId();
  }

  static boolean completed(List<HistoryEvent> history) {
    return history.get(history.size() - 1).getEventType()
        == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED;
  }
}
