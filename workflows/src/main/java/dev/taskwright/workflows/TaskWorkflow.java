package dev.taskwright.workflows;

import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskSpec;
import dev.taskwright.workflows.model.TaskView;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One task, top-level or subtask. Workflow ID = task ID. */
@WorkflowInterface
public interface TaskWorkflow {

  @WorkflowMethod
  TaskResult run(TaskSpec spec);

  /** The task as it is now; answered from workflow state, also after the workflow closed. */
  @QueryMethod(name = Names.QUERY_VIEW)
  TaskView view();
}
