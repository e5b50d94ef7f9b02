package dev.taskwright.workflows;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.SignalExternalWorkflowException;

/** Reading why a signal to another task's workflow was not delivered. */
final class Signals {
  private Signals() {}

  /**
   * The SDK reports a signal the server could not deliver (no such workflow, or it has closed) as
   * an {@code ApplicationFailure} whose type is the server's cause ({@code
   * SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_…}), or as a {@code
   * SignalExternalWorkflowException}. Any other failure is not about delivery.
   */
  static boolean isNotDelivered(RuntimeException failure) {
    if (failure instanceof SignalExternalWorkflowException) {
      return true;
    }
    return failure instanceof ApplicationFailure application
        && application.getType() != null
        && application.getType().startsWith("SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE");
  }
}
