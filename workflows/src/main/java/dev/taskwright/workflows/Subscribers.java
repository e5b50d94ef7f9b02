package dev.taskwright.workflows;

import dev.taskwright.workflows.model.DependencyOutcome;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashSet;
import org.slf4j.Logger;

/**
 * The tasks waiting for this one. Once this task has finished, every subscriber is told how, once;
 * a subscriber that arrives after that is told at once, from its own signal handler, which the
 * workflow waits for before it closes ({@code Workflow.isEveryHandlerFinished}).
 */
final class Subscribers {

  private static final Logger log = Workflow.getLogger(Subscribers.class);

  /** Typed as LinkedHashSet, not Set: subscribers are told in the order they subscribed. */
  private final LinkedHashSet<String> waiting = new LinkedHashSet<>();

  private final LinkedHashSet<String> told = new LinkedHashSet<>();
  private DependencyOutcome finished;

  void add(String taskId) {
    if (told.contains(taskId)) {
      return;
    }
    waiting.add(taskId);
    if (finished != null) {
      tellWaiting();
    }
  }

  /** Records how this task finished and tells everyone waiting. */
  void finish(DependencyOutcome outcome) {
    finished = outcome;
    tellWaiting();
  }

  private void tellWaiting() {
    while (!waiting.isEmpty()) {
      String subscriber = waiting.iterator().next();
      waiting.remove(subscriber);
      told.add(subscriber);
      try {
        Workflow.newExternalWorkflowStub(TaskWorkflow.class, subscriber)
            .dependencyFinished(finished);
      } catch (SignalExternalWorkflowException | ApplicationFailure gone) {
        if (!Signals.isNotDelivered(gone)) {
          throw gone;
        }
        // The dependent closed meanwhile (cancelled, or failed for another reason): nobody to tell.
        log.info(
            "Could not tell {} that {} finished: {}",
            subscriber,
            finished.taskId(),
            gone.getMessage());
      }
    }
  }
}
