package dev.taskwright.starter.task;

import dev.taskwright.workflows.Names;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.TaskView;
import io.temporal.client.WorkflowExecutionDescription;

/**
 * What {@code status} shows: the task's own view when a worker answered, else what the server knows
 * without one (the state search attribute, the static summary, the workflow's status).
 *
 * @param view the task; only id, title, state, repo and agent are filled when {@code live} is false
 * @param live true when a worker answered the {@code view} query
 * @param workflowStatus the workflow execution's status on the server (RUNNING, COMPLETED,
 *     CANCELED, ...)
 * @param note what the reader should know about where this came from, or null
 */
public record TaskReport(TaskView view, boolean live, String workflowStatus, String note) {

  public static final String NO_WORKER_NOTE =
      "no worker answered, so this is what the Temporal server knows; start one with `taskwright"
          + " worker` (or `taskwright dev`) for the full picture";

  public static TaskReport live(TaskView view, WorkflowExecutionDescription description) {
    return new TaskReport(view, true, workflowStatus(description), null);
  }

  public static TaskReport fromServer(String taskId, WorkflowExecutionDescription description) {
    var attributes = description.getTypedSearchAttributes();
    TaskState state = stateOf(description, attributes.get(Names.TASK_STATE));
    TaskView view =
        new TaskView(
            taskId,
            description.getStaticSummary(),
            state,
            null,
            attributes.get(Names.TASK_REPO),
            null,
            attributes.get(Names.TASK_AGENT),
            null,
            0,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            attributes.get(Names.TASK_PARENT),
            null,
            null,
            null);
    return new TaskReport(view, false, workflowStatus(description), NO_WORKER_NOTE);
  }

  /**
   * The state a closed workflow's status implies, which beats the search attribute: a task
   * cancelled before any worker ran it still says QUEUED there.
   */
  static TaskState stateOf(WorkflowExecutionDescription description, String searchAttribute) {
    TaskState published = parse(searchAttribute);
    return switch (description.getStatus()) {
      case WORKFLOW_EXECUTION_STATUS_CANCELED -> TaskState.CANCELLED;
      case WORKFLOW_EXECUTION_STATUS_FAILED,
          WORKFLOW_EXECUTION_STATUS_TERMINATED,
          WORKFLOW_EXECUTION_STATUS_TIMED_OUT ->
          TaskState.FAILED;
      case WORKFLOW_EXECUTION_STATUS_COMPLETED ->
          published != null && published.isTerminal() ? published : TaskState.COMPLETED;
      default -> published == null ? TaskState.QUEUED : published;
    };
  }

  private static TaskState parse(String value) {
    if (value == null) {
      return null;
    }
    try {
      return TaskState.valueOf(value);
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  private static String workflowStatus(WorkflowExecutionDescription description) {
    return description.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "");
  }
}
