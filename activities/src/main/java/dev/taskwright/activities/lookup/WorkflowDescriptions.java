package dev.taskwright.activities.lookup;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import java.util.Optional;

/** Describing a task's workflow on the server, for the lookup activity and the CLI alike. */
public final class WorkflowDescriptions {
  private WorkflowDescriptions() {}

  /** The server's record of the workflow with ID {@code taskId}, or empty when there is none. */
  public static Optional<WorkflowExecutionDescription> describe(
      WorkflowClient client, String taskId) {
    try {
      return Optional.of(client.newUntypedWorkflowStub(taskId).describe());
    } catch (WorkflowNotFoundException notFound) {
      return Optional.empty();
    } catch (WorkflowServiceException e) {
      // The client wraps some server answers, NOT_FOUND among them, depending on the call path.
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

  /** True when {@code error} is the server saying NOT_FOUND. */
  public static boolean isNotFound(Throwable error) {
    return error instanceof StatusRuntimeException status
        && status.getStatus().getCode() == Status.Code.NOT_FOUND;
  }
}
