package dev.taskwright.workflows;

import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.ports.AgentActivities;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCanceledException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An agent port for plan tests: each task plays its own scripted outcomes (a task with none left
 * succeeds), and every run is recorded in the order the runs started and ended.
 */
final class PlanAgent implements AgentActivities {

  /** A run as seen: which task, its input, and whether it was starting or ending. */
  record Event(String taskId, AgentRun run, boolean ended) {}

  /** Runs until the activity is cancelled, heartbeating: an agent still at work. */
  static final Function<AgentRun, AgentOutcome> WORKS_UNTIL_CANCELLED =
      run -> {
        try {
          while (true) {
            Activity.getExecutionContext().heartbeat(null);
            Thread.sleep(20);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      };

  private final Map<String, ConcurrentLinkedDeque<Function<AgentRun, AgentOutcome>>> scripts =
      new ConcurrentHashMap<>();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<String> cancelled = new CopyOnWriteArrayList<>();

  @SafeVarargs
  final PlanAgent script(String taskId, Function<AgentRun, AgentOutcome>... outcomes) {
    var script = scripts.computeIfAbsent(taskId, id -> new ConcurrentLinkedDeque<>());
    for (Function<AgentRun, AgentOutcome> outcome : outcomes) {
      script.add(outcome);
    }
    return this;
  }

  @Override
  public AgentOutcome run(AgentRun run) {
    events.add(new Event(run.taskId(), run, false));
    var script = scripts.get(run.taskId());
    Function<AgentRun, AgentOutcome> next = script == null ? null : script.pollFirst();
    try {
      AgentOutcome outcome =
          next == null
              ? WorkflowTestSupport.succeeded(run.sessionId(), "did " + run.taskId())
              : next.apply(run);
      events.add(new Event(run.taskId(), run, true));
      return outcome;
    } catch (ActivityCanceledException e) {
      cancelled.add(run.taskId());
      throw e;
    }
  }

  List<Event> events() {
    return events;
  }

  List<AgentRun> runsOf(String taskId) {
    return events.stream()
        .filter(e -> !e.ended() && e.taskId().equals(taskId))
        .map(Event::run)
        .toList();
  }

  /** Position of the task's first run start, or its last run end, in the event list. */
  int startOf(String taskId) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).taskId().equals(taskId) && !events.get(i).ended()) {
        return i;
      }
    }
    return -1;
  }

  int endOf(String taskId) {
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i).taskId().equals(taskId) && events.get(i).ended()) {
        return i;
      }
    }
    return -1;
  }

  List<String> cancelled() {
    return cancelled;
  }
}
